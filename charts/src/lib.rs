//! Chart rendering (skeleton: being written).
