// The root tsconfig compiles every package into dist/; this points Node at the compiled index.
module.exports = require('../../dist/libs/onnx-builder/src/index.js');
