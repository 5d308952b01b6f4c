import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs in every jest worker before each test file. With --experimental-vm-modules (which PGlite's
 * dynamic `import()` of Node built-ins needs), Node 20 gives every script jest compiles a host-defined
 * option of its own that leads back to that test file's module registry. V8's compilation cache keeps
 * those scripts, so each finished test file stayed reachable, with its vm context and its PGlite
 * (about 230 MB of WebAssembly memory), until an out-of-memory GC that never came: workers grew to
 * several GB and jest had to kill them at the end. The cache cannot hit across test files anyway
 * (each script's option differs), so it is turned off for the test processes.
 */
setFlagsFromString('--no-compilation-cache');

/**
 * The previous test file is garbage now, but V8 counts a PGlite's WebAssembly memory as external
 * memory and takes its time to collect it: a worker still carried several dead PGlite heaps. One full
 * GC per test file gives them back before the next file builds its own.
 */
setFlagsFromString('--expose-gc');
(runInNewContext('gc') as () => void)();
