//! `__catalog_agreement!()`: ties the constructs of `stack_core` to their catalog
//! entries in `stack_spec::catalog`. It expands to code that names every option's setter
//! with the type the catalog gives it, every attribute method, every `grant_*` method and,
//! for principals, the `Principal` impl, so a catalog fact the code does not have (an
//! option with no setter, an attribute with no method) fails the build of `stack-core`.
//!
//! Names resolve where it is invoked; `__catalog_agreement!(Bucket)` checks one construct.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, Type};

use stack_spec::catalog::{self, ConstructSpec, OptionSpec};

/// Expands the probe for every construct of the catalog, or for the one named.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let only: Option<Ident> = if input.is_empty() {
        None
    } else {
        match syn::parse2(input) {
            Ok(name) => Some(name),
            Err(error) => return error.to_compile_error(),
        }
    };
    let mut probes = Vec::new();
    for spec in catalog::constructs() {
        if only.as_ref().is_some_and(|o| o != spec.name) {
            continue;
        }
        probes.push(construct_probe(spec));
    }
    if let Some(name) = &only {
        if probes.is_empty() {
            return syn::Error::new(name.span(), format!("`{name}` is not in the catalog"))
                .to_compile_error();
        }
    } else {
        for ty in catalog::option_types() {
            let owner = format_ident!("{}", ty.name);
            probes.extend(ty.fields.iter().map(|o| setter_probe(&quote!(#owner), o)));
        }
    }
    quote! {
        const _: () = {
            #[allow(dead_code, clippy::type_complexity)]
            fn agreement() {
                fn principal<P: ::stack_core::iam::Principal>() {}
                #(#probes)*
            }
        };
    }
}

fn construct_probe(spec: &ConstructSpec) -> TokenStream {
    let construct = format_ident!("{}", spec.name);
    let props = quote!(<#construct as ::stack_core::constructs::Construct>::Props);
    let setters = spec.options.iter().map(|o| setter_probe(&props, o));
    let attrs = spec.attrs.iter().map(|attr| {
        let method = Ident::new(attr, Span::call_site());
        quote!(let _: fn(&#construct) -> _ = #construct::#method;)
    });
    let grants = spec.grants.iter().map(|grant| {
        let method = format_ident!("grant_{}", grant);
        quote!(let _: fn(&#construct) -> ::stack_core::iam::Grant = #construct::#method;)
    });
    let principal = spec.principal.then(|| quote!(principal::<#construct>();));
    quote! {
        #(#setters)*
        #(#attrs)*
        #(#grants)*
        #principal
    }
}

/// `let _: fn(Props, Ty) -> Props = <Props>::option;`. A reference is probed as
/// `&'static T`: a setter generic over what it takes (`impl Trait`, implemented for `&T`)
/// accepts each `&T` but is no one function of every lifetime.
fn setter_probe(props: &TokenStream, option: &OptionSpec) -> TokenStream {
    let setter = Ident::new(option.name, Span::call_site());
    match syn::parse_str::<Type>(option.ty) {
        Ok(mut ty) => {
            if let Type::Reference(reference) = &mut ty {
                reference
                    .lifetime
                    .get_or_insert_with(|| syn::Lifetime::new("'static", Span::call_site()));
            }
            quote!(let _: fn(#props, #ty) -> #props = <#props>::#setter;)
        }
        Err(_) => {
            let message = format!(
                "the catalog gives option `{}` the type `{}`, which is not a Rust type",
                option.name, option.ty
            );
            quote!(::core::compile_error!(#message);)
        }
    }
}

#[cfg(test)]
mod tests {
    // The probe names every fact of a catalog entry.
    use super::*;

    #[test]
    fn every_option_attribute_and_grant_is_named() {
        let out = expand(quote!(Bucket)).to_string();
        assert!(out.contains("fn (< Bucket as :: stack_core :: constructs :: Construct > :: Props , Value < String >)"), "{out}");
        assert!(out.contains(":: Props > :: bucket_name ;"), "{out}");
        assert!(
            out.contains("let _ : fn (& Bucket) -> _ = Bucket :: regional_domain_name ;"),
            "{out}"
        );
        assert!(out.contains("let _ : fn (& Bucket) -> :: stack_core :: iam :: Grant = Bucket :: grant_read_write ;"), "{out}");
        assert!(
            !out.contains("principal :: <"),
            "a bucket holds no policy: {out}"
        );
        assert!(expand(quote!(Function))
            .to_string()
            .contains("principal :: < Function >"));
    }

    #[test]
    fn a_name_outside_the_catalog_is_an_error() {
        assert!(expand(quote!(Buckt))
            .to_string()
            .contains("is not in the catalog"));
    }
}
