// SPDX-License-Identifier: MIT
// The v8 source's test program (tests/core/live/v8_source_test.cpp): holds a
// WebAssembly.Memory of 64 MiB, waits for the agent (inspector.waitForDebugger
// returns when the source has sent its first figures; WAIT_FOR_AGENT=0 skips
// that; "flight: started" is logged before), then runs its phases, each PHASE_MS after the previous one is done:
//   "flight: grown"       (logged first) the memory grows to 96 MiB
//   "flight: allocating"  about 50 MB of JS objects are made (by makeObjects) and held ...
//   "flight: allocated"   ... until here
//   "flight: freeing"     they are let go and garbage is collected ...
//   "flight: freed"       ... until here
//   "flight: done"        and the program exits on its own.
'use strict';
const inspector = require('inspector');

const PAGE = 64 * 1024;
const PHASE_MS = Number(process.env.PHASE_MS || 500);
const memory = new WebAssembly.Memory({ initial: 1024, maximum: 2048 });
new Uint8Array(memory.buffer).fill(1, 0, 1024 * PAGE); // committed, not just reserved

console.log('flight: started'); // before the agent attaches: V8 keeps it for the agent
if (process.env.WAIT_FOR_AGENT !== '0')
    inspector.waitForDebugger();

let held = null;
// Named, so the agent's allocation records say who allocated.
function makeObjects() {
    // 50 x 1 MB of small objects: 18,000 per MB (about 55 bytes each on V8 11
    // with pointer compression: the object, its slot in the array, slack).
    const out = [];
    for (let i = 0; i < 50; ++i) {
        const chunk = new Array(18000);
        for (let j = 0; j < chunk.length; ++j)
            chunk[j] = { a: i, b: j, c: null };
        out.push(chunk);
    }
    return out;
}
const phases = [
    () => { console.log('flight: grown'); memory.grow(512); new Uint8Array(memory.buffer).fill(2, 1024 * PAGE); },
    () => {
        console.log('flight: allocating');
        held = makeObjects();
        console.log('flight: allocated');
    },
    () => {
        console.log('flight: freeing');
        held = null;
        if (global.gc)
            global.gc();
        console.log('flight: freed');
    },
    () => { console.log('flight: done'); },
];
function runFrom(i) {
    if (i < phases.length)
        setTimeout(() => { phases[i](); runFrom(i + 1); }, PHASE_MS);
}
runFrom(0);
