// SPDX-License-Identifier: MIT
// The target's own latency (tests/benchmarks/v8_jitter.sh): a setInterval
// loop of TICK_MS, each tick's lateness against the previous tick + TICK_MS,
// for DURATION_MS; holds 64 MiB of WebAssembly memory and about 50 MB of live
// objects so that the agent's work (and its one WebAssembly scan, a full GC)
// is what it would be in a real program. Prints one JSON line: percentiles of
// the lateness in ms over the whole run and over the run after its first
// WARMUP_MS ("steady"; the agent attaches and scans within the first second).
'use strict';
const TICK_MS = Number(process.env.TICK_MS || 10);
const DURATION_MS = Number(process.env.DURATION_MS || 20000);
const WARMUP_MS = Number(process.env.WARMUP_MS || 2000);

const memory = new WebAssembly.Memory({ initial: 1024 });
new Uint8Array(memory.buffer).fill(1);
const held = [];
for (let i = 0; i < 50; ++i) {
    const chunk = new Array(18000);
    for (let j = 0; j < chunk.length; ++j)
        chunk[j] = { a: i, b: j, c: null };
    held.push(chunk);
}

const all = [], steady = [];
const start = performance.now();
let last = start;
const timer = setInterval(() => {
    const now = performance.now();
    const late = Math.max(0, now - last - TICK_MS);
    last = now;
    all.push(late);
    if (now - start >= WARMUP_MS)
        steady.push(late);
    if (now - start >= DURATION_MS) {
        clearInterval(timer);
        const pct = (xs, p) => {
            const s = xs.slice().sort((a, b) => a - b);
            return Number(s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(3));
        };
        console.log(JSON.stringify({
            ticks: all.length, p50: pct(all, 0.5), p99: pct(all, 0.99), p999: pct(all, 0.999), max: pct(all, 1),
            steadyP50: pct(steady, 0.5), steadyP99: pct(steady, 0.99), steadyMax: pct(steady, 1),
            held: held.length, wasmMiB: memory.buffer.byteLength / 1048576,
        }));
    }
}, TICK_MS);
