//! Error accumulation: every check reports into one context, and all errors are
//! emitted together, each on its own token.

use std::cell::{Cell, RefCell};
use std::fmt::Display;

use proc_macro2::{Span, TokenStream};

/// Collects errors while checking a stack.
pub(crate) struct Ctxt {
    errors: RefCell<Option<Vec<syn::Error>>>,
    /// How many more "did you mean" searches over the block's names may run.
    suggestions: Cell<usize>,
}

/// The most "did you mean" searches over a block's names: each compares one name with
/// all of them, and a block with hundreds of mistakes needs the first few hints only.
const MAX_SUGGESTIONS: usize = 16;

impl Ctxt {
    pub(crate) fn new() -> Self {
        Self {
            errors: RefCell::new(Some(Vec::new())),
            suggestions: Cell::new(MAX_SUGGESTIONS),
        }
    }

    /// Whether one more search for a close name may run; the first few get one.
    pub(crate) fn may_suggest(&self) -> bool {
        let left = self.suggestions.get();
        self.suggestions.set(left.saturating_sub(1));
        left > 0
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

#[cfg(test)]
mod tests {
    // The budget of "did you mean" searches per block.
    use super::*;

    #[test]
    fn only_the_first_searches_run() {
        let cx = Ctxt::new();
        let allowed = (0..100).filter(|_| cx.may_suggest()).count();
        assert_eq!(allowed, MAX_SUGGESTIONS);
        assert!(cx.check().is_ok());
    }
}
