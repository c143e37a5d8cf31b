/** Field separators a CSV file may use, in the order they are tried. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The fields of one CSV line split on `delimiter`, each trimmed. A field in double quotes may hold the delimiter,
 * and `""` inside it is one quote, as RFC 4180 writes them; a stray quote elsewhere is kept as text.
 */
export function splitFields(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter).map((c) => c.trim());
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ') i++;
    let field: string;
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          // No closing quote: the rest of the line is the field.
          value += line.slice(j);
          j = line.length;
          break;
        }
        value += line.slice(j, q);
        if (line[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      const next = line.indexOf(delimiter, j);
      // Text between the closing quote and the delimiter belongs to the field, as spreadsheets read it.
      field = (value + line.slice(j, next < 0 ? line.length : next)).trim();
      i = next < 0 ? line.length + 1 : next + delimiter.length;
    } else {
      const next = line.indexOf(delimiter, i);
      field = line.slice(i, next < 0 ? line.length : next).trim();
      i = next < 0 ? line.length + 1 : next + delimiter.length;
    }
    fields.push(field);
    if (i > line.length) return fields;
  }
}
