# SPDX-License-Identifier: MIT
# The same event for Cap'n Proto (docs/performance.md, "Format 2 against schema libraries").
@0x9571434d08977304;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("flightcmp::capn");

struct Event {
  kind @0 :UInt8;
  session @1 :Text;
  id @2 :Text;
  size @3 :UInt64;
  purpose @4 :UInt8;
  timeDelta @5 :Int64;
  seqDelta @6 :Int64;
  receivedDelta @7 :Int64;
  text @8 :Text;
}

struct Block {
  events @0 :List(Event);
}
