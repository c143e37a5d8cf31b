const MONTHS: Readonly<Record<string, number>> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/**
 * Epoch milliseconds (UTC) from the date and time layouts found in market data files, or NaN:
 * epoch seconds or milliseconds, ISO dates with or without time and fraction (`2021-12-31 23:01:00.000000`),
 * CryptoDataDownload hours (`2019-10-17 09-AM`), and spreadsheet dates (`1-May-09`).
 */
export function parseTime(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    // Ten digits or fewer are seconds; 13 are milliseconds.
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (m !== null) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', zone] = m;
    const ms = Math.round(Number(`0.${frac}`) * 1000);
    let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
    if (zone !== undefined && zone !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    return t;
  }
  m = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2})-(AM|PM)$/i.exec(s);
  if (m !== null) {
    const [, y, mo, d, h, ampm] = m;
    const hour12 = Number(h) % 12;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), ampm!.toUpperCase() === 'PM' ? hour12 + 12 : hour12);
  }
  m = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})$/.exec(s);
  if (m !== null) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month === undefined) return Number.NaN;
    const yy = Number(m[3]);
    const year = m[3]!.length === 4 ? yy : yy + (yy < 70 ? 2000 : 1900);
    return Date.UTC(year, month, Number(m[1]));
  }
  return Number.NaN;
}
