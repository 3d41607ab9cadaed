//! The `stack!` macro. See `stack_core::stack!` for the language.

use proc_macro::TokenStream;

/// Declares a stack. Documented at `stack_core::stack!`.
#[proc_macro]
pub fn stack(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}
