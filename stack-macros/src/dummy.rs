//! The stand-in emitted when a stack has errors: the same type and constructor, so the
//! code that uses the stack compiles and the user sees only the real errors.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::StackInput;

pub(crate) fn generate(input: &StackInput) -> TokenStream {
    let vis = &input.vis;
    let name = &input.name;
    let props_param = input
        .props
        .as_ref()
        .map(|(ident, ty)| quote!(, #ident: &#ty));
    let uses_params = input
        .uses
        .iter()
        .map(|(ident, ty)| quote!(, #ident: &::stack_core::InApp<#ty>));
    quote! {
        #vis struct #name;

        impl #name {
            #[allow(unused_variables)]
            #vis fn new(stack_name: impl ::core::convert::Into<::std::string::String> #props_param #(#uses_params)*) -> Self {
                ::core::unimplemented!("the stack has compile errors")
            }
        }

        impl ::stack_core::__private::StackDecl for #name {
            const DEPTH: usize = 0;
        }

        impl ::stack_core::Stack for #name {
            fn stack_name(&self) -> &str {
                ::core::unimplemented!("the stack has compile errors")
            }

            fn synthesized(&self) -> ::core::result::Result<&::stack_core::Synthesized, &::stack_core::SynthError> {
                ::core::unimplemented!("the stack has compile errors")
            }
        }
    }
}
