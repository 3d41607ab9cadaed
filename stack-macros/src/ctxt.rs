//! Error accumulation: every check reports into one context, and all errors are
//! emitted together, each on its own token.

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::{Span, TokenStream};

/// Collects errors while checking a stack.
pub(crate) struct Ctxt {
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    pub(crate) fn new() -> Self {
        Self {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Reports an error at `span`.
    pub(crate) fn error(&self, span: Span, message: impl Display) {
        if let Some(errors) = self.errors.borrow_mut().as_mut() {
            errors.push(syn::Error::new(span, message));
        }
    }

    /// Reports an error underlining all of `tokens` (a whole expression, not only its
    /// first token).
    pub(crate) fn error_spanned(&self, tokens: impl quote::ToTokens, message: impl Display) {
        if let Some(errors) = self.errors.borrow_mut().as_mut() {
            errors.push(syn::Error::new_spanned(tokens, message));
        }
    }

    /// Consumes the context, returning the combined errors, if any.
    pub(crate) fn check(self) -> Result<(), TokenStream> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.into_iter().map(|e| e.to_compile_error()).collect())
        }
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if !std::thread::panicking() && self.errors.borrow().is_some() {
            panic!("Ctxt dropped without calling check()");
        }
    }
}
