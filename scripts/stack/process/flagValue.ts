/** The argument after `flag` on this process's command line (`--rate 1000` → "1000"); undefined without the flag. */
export const flagValue = (flag: string): string | undefined => {
  const index = process.argv.indexOf(flag);
  return index < 0 ? undefined : process.argv[index + 1];
};
