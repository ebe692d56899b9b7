//! Market data without I/O (skeleton: being written).
