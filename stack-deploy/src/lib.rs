//! The command line of stack apps.
