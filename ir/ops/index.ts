// Importing this module fills the op registry with every dialect tcfuzz supports.
export {};
