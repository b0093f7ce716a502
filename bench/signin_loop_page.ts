// The in-page half of signin_loop_bench.ts: the same loop as in Deno,
// bundled for headless Chromium.
import { signInLoop } from "./support/signin_loop.ts";

(globalThis as { signInLoop?: typeof signInLoop }).signInLoop = signInLoop;
