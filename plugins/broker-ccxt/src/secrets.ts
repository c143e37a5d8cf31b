/**
 * Takes every secret out of a text bound for a person or a log: the API key and secret themselves, and request
 * signatures (ccxt puts the signed URL in some errors).
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const known = secrets.filter((s) => s.length >= 4);
  return (text) => {
    let out = text.replace(/signature=[0-9a-fA-F]+/g, 'signature=[redacted]');
    for (const secret of known) out = out.split(secret).join('[redacted]');
    return out;
  };
}

/** How a key is shown to tell accounts apart: its first and last four characters. */
export function keyHint(apiKey: string): string {
  return apiKey.length <= 12 ? `${apiKey.slice(0, 2)}…` : `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;
}
