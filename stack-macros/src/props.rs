//! `#[derive(ConstructProps)]`: the setters of a construct's options and the
//! `ConstructProps` facts `stack!` checks blocks against, both from the props struct's
//! fields, so an option is written once.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type};

use crate::ctxt::Ctxt;

/// One option, from one field.
struct OptionField {
    name: Ident,
    ty: Type,
    docs: Vec<Attribute>,
    required: bool,
    /// Whether the setter is written by hand.
    custom_setter: bool,
}

/// Expands the derive, or returns every error in the input.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let cx = Ctxt::new();
    let fields = option_fields(&input, &cx);
    match cx.check() {
        Ok(()) => generate(&input, &fields),
        Err(errors) => errors,
    }
}

fn option_fields(input: &DeriveInput, cx: &Ctxt) -> Vec<OptionField> {
    if !input.generics.params.is_empty() {
        cx.error(
            input.generics.span(),
            "`ConstructProps` is derived for props structs without generic parameters",
        );
    }
    let Data::Struct(data) = &input.data else {
        cx.error(
            input.ident.span(),
            "`ConstructProps` is derived for a struct whose fields are the construct's options",
        );
        return Vec::new();
    };
    let Fields::Named(named) = &data.fields else {
        cx.error(
            input.ident.span(),
            "`ConstructProps` needs named fields: each field is one option",
        );
        return Vec::new();
    };
    named
        .named
        .iter()
        .filter_map(|field| {
            let name = field.ident.clone()?;
            let mut option = OptionField {
                name,
                ty: field.ty.clone(),
                docs: field
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("doc"))
                    .cloned()
                    .collect(),
                required: false,
                custom_setter: false,
            };
            for attr in field.attrs.iter().filter(|a| a.path().is_ident("option")) {
                let parsed = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("required") {
                        option.required = true;
                        Ok(())
                    } else if meta.path.is_ident("custom_setter") {
                        option.custom_setter = true;
                        Ok(())
                    } else {
                        Err(meta.error(
                            "unknown option attribute; use `#[option(required)]` or `#[option(custom_setter)]`",
                        ))
                    }
                });
                if let Err(error) = parsed {
                    cx.error(error.span(), error);
                }
            }
            Some(option)
        })
        .collect()
}

fn generate(input: &DeriveInput, fields: &[OptionField]) -> TokenStream {
    let props = &input.ident;
    let vis = &input.vis;
    let props_name = props.to_string();
    let construct = props_name
        .strip_suffix("Props")
        .filter(|c| !c.is_empty())
        .unwrap_or(&props_name);
    let setters = fields
        .iter()
        .filter(|f| !f.custom_setter)
        .map(|f| setter(vis, f));
    let names = fields.iter().map(|f| {
        let name = f.name.to_string();
        name.strip_prefix("r#").unwrap_or(&name).to_owned()
    });
    let required = fields.iter().filter(|f| f.required).map(|f| {
        let name = f.name.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name);
        let missing = format!("missing required option `{name}` on `{construct}`");
        quote!(::stack_core::constructs::RequiredOption { name: #name, missing: #missing })
    });
    quote! {
        impl #props {
            #(#setters)*
        }

        impl ::stack_core::constructs::ConstructProps for #props {
            const OPTIONS: &'static [&'static str] = &[#(#names),*];
            const REQUIRED: &'static [::stack_core::constructs::RequiredOption] = &[#(#required),*];
        }
    }
}

/// `pub fn name(mut self, value: impl ...) -> Self`, converting the value the way the
/// field's type reads it.
fn setter(vis: &syn::Visibility, field: &OptionField) -> TokenStream {
    let OptionField { name, ty, docs, .. } = field;
    let span = name.span();
    let (param, store) = match (generic_of(ty, "Option"), generic_of(ty, "Vec")) {
        (Some(inner), _) => match generic_of(inner, "Value") {
            Some(value) => (
                quote!(impl ::stack_core::IntoValue<#value>),
                quote!(::core::option::Option::Some(
                    ::stack_core::IntoValue::into_value(value)
                )),
            ),
            None => (
                quote!(impl ::core::convert::Into<#inner>),
                quote!(::core::option::Option::Some(::core::convert::Into::into(
                    value
                ))),
            ),
        },
        (None, Some(inner)) => match generic_of(inner, "Value") {
            Some(value) => (
                quote!(impl ::core::iter::IntoIterator<Item = impl ::stack_core::IntoValue<#value>>),
                quote!(::core::iter::Iterator::collect(
                    ::core::iter::Iterator::map(
                        ::core::iter::IntoIterator::into_iter(value),
                        ::stack_core::IntoValue::into_value,
                    )
                )),
            ),
            None => (
                quote!(impl ::core::iter::IntoIterator<Item = #inner>),
                quote!(::core::iter::Iterator::collect(
                    ::core::iter::IntoIterator::into_iter(value)
                )),
            ),
        },
        (None, None) => match generic_of(ty, "Value") {
            Some(value) => (
                quote!(impl ::stack_core::IntoValue<#value>),
                quote!(::stack_core::IntoValue::into_value(value)),
            ),
            None => (
                quote!(impl ::core::convert::Into<#ty>),
                quote!(::core::convert::Into::into(value)),
            ),
        },
    };
    let docs = if docs.is_empty() {
        let text = format!(" Sets `{name}`.");
        quote!(#[doc = #text])
    } else {
        quote!(#(#docs)*)
    };
    let value = format_ident!("value", span = Span::call_site());
    quote_spanned! {span=>
        #docs
        #[must_use]
        #vis fn #name(mut self, #value: #param) -> Self {
            self.#name = #store;
            self
        }
    }
}

/// `T` of `Wrapper<T>` when `ty` is written that way (its last path segment).
fn generic_of<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    // The derive's setters and facts, and its errors.
    use super::*;

    fn expand(input: &str) -> String {
        derive(input.parse().expect("tokens")).to_string()
    }

    #[test]
    fn setters_convert_by_field_type_and_required_options_carry_their_message() {
        let out = expand(
            "pub struct SiteProps {
                /// The domain.
                #[option(required)]
                domain_name: Option<Value<String>>,
                aliases: Vec<Value<String>>,
                index: Option<String>,
                versioned: bool,
                #[option(custom_setter)]
                zone: Option<Zone>,
            }",
        );
        assert!(out.contains("pub fn domain_name (mut self , value : impl :: stack_core :: IntoValue < String >)"), "{out}");
        assert!(
            out.contains("Item = impl :: stack_core :: IntoValue < String >"),
            "{out}"
        );
        assert!(
            out.contains(
                "pub fn index (mut self , value : impl :: core :: convert :: Into < String >)"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "pub fn versioned (mut self , value : impl :: core :: convert :: Into < bool >)"
            ),
            "{out}"
        );
        assert!(!out.contains("fn zone"), "{out}");
        assert!(
            out.contains("\"missing required option `domain_name` on `Site`\""),
            "{out}"
        );
        assert!(out.contains("# [doc = \" The domain.\"]"), "{out}");
    }

    #[test]
    fn unknown_attributes_and_tuple_structs_are_errors() {
        let out = expand("struct P { #[option(requird)] a: bool }");
        assert!(out.contains("unknown option attribute"), "{out}");
        let out = expand("struct P(bool);");
        assert!(out.contains("needs named fields"), "{out}");
    }
}
