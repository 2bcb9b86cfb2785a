/** Bytes as people read them: `0 B`, `812 B`, `1.2 KB`, `34 MB` (powers of 1024, one decimal below 10). */
export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value).toString() : String(+value.toFixed(1));
  return `${shown} ${units[unit]}`;
}
