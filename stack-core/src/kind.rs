//! Marker types for typed references (generated).
