//! Technical indicators (the charts issue fills this crate).
