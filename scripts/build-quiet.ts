/**
 * The build `npm start` runs: the production build with the bundler's and the adapter's progress lines held
 * back (warnings included), so that the first lines a newcomer reads are where the product runs. A failed
 * build prints everything it held, then the error. `npm run build` stays the plain, talkative build.
 */
import { build } from 'vite';

const held: string[] = [];
const original = { log: console.log, info: console.info, warn: console.warn };
const hold = (...args: unknown[]) => void held.push(args.map(String).join(' '));
console.log = console.info = console.warn = hold;
try {
	await build({ logLevel: 'warn' });
} catch (err) {
	Object.assign(console, original);
	for (const line of held) console.log(line);
	console.error(err);
	process.exit(1);
}
Object.assign(console, original);
