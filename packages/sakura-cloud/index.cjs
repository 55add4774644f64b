// The package's entry: the JavaScript built from src/ as it is now (build.cjs says how).
module.exports = require(require("./build.cjs").ensureBuilt());
