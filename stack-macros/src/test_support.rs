//! Helpers for the unit tests: a block parsed from text, and the errors a context
//! collected, each with the line it points at.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use crate::ast::StackInput;
use crate::ctxt::Ctxt;

/// Parses a whole `stack!` block, which the test expects to be valid syntax.
pub(crate) fn input(text: &str) -> StackInput {
    match syn::parse_str(text) {
        Ok(input) => input,
        Err(e) => panic!("{text} should parse: {e}"),
    }
}

/// The message of every error reported into `cx`, in report order.
pub(crate) fn errors(cx: Ctxt) -> Vec<String> {
    sites(cx).into_iter().map(|(message, _)| message).collect()
}

/// Every error reported into `cx` with the line (1-based) of the token it is on.
pub(crate) fn sites(cx: Ctxt) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    if let Err(tokens) = cx.check() {
        collect(tokens, &mut out);
    }
    out
}

/// `compile_error! { "message" }` groups, whose span is the error's.
fn collect(tokens: TokenStream, out: &mut Vec<(String, usize)>) {
    for tt in tokens {
        if let TokenTree::Group(group) = tt {
            if group.delimiter() == Delimiter::Brace {
                if let Ok(message) = syn::parse2::<syn::LitStr>(group.stream()) {
                    out.push((message.value(), group.span().start().line));
                }
            }
        }
    }
}
