// Optimises each wasm file named on the command line in place, as `wasm-opt -Oz` does (binaryen's
// default pipeline at optimise level 2, shrink level 2, names dropped), in one process: a split
// bundle has hundreds of parts, and starting binaryen once per part cost more than optimising it.
import { readFileSync, writeFileSync } from 'node:fs';

import binaryen from 'binaryen';

// What the command line's `--enable-bulk-memory --enable-nontrapping-float-to-int
// --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue` turn on
// (each of the first and fifth brings a companion feature with it).
const features =
  binaryen.Features.MVP |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.SignExt |
  binaryen.Features.MutableGlobals |
  binaryen.Features.ReferenceTypes |
  binaryen.Features.CallIndirectOverlong |
  binaryen.Features.Multivalue;

binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2);
binaryen.setDebugInfo(false);
// The command line optimises the stack form of the code as it writes the file; so must this.
binaryen.setGenerateStackIR(true);
binaryen.setOptimizeStackIR(true);

for (const file of process.argv.slice(2)) {
  const module = binaryen.readBinary(readFileSync(file));
  try {
    module.setFeatures(features);
    if (!module.validate()) throw new Error('the input does not validate');
    module.optimize();
    writeFileSync(file, module.emitBinary());
  } catch (error) {
    console.error(`${file}: ${error.message ?? error}`);
    process.exit(1);
  } finally {
    module.dispose();
  }
}
