//! Cross-crate and end-to-end tests live in this package's `e2e/` folder;
//! the library itself is empty.
