/** What a command-line tool says to the person who ran it: results on stdout, problems on stderr. */
export const say = (msg: string): void => void process.stdout.write(`${msg}\n`);
export const complain = (msg: string): void => void process.stderr.write(`${msg}\n`);
