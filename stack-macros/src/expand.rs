//! Code generation: the stack struct, its constructor and its `Stack` impl.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::StackInput;
use crate::ctxt::Ctxt;
use crate::dummy::{self, Skeleton};
use crate::ir::{EnvModel, Model};
use crate::model;

/// Expands one `stack!` invocation: parse, check, then generate, or emit every error
/// next to a stand-in struct so that code using the stack does not cascade.
pub(crate) fn stack(input: TokenStream) -> TokenStream {
    if let Some(span) = too_deep(&input) {
        let error = syn::Error::new(
            span,
            format!("this value is nested more than {MAX_DEPTH} levels deep, more than `stack!` reads; flatten it, or build it in a Rust function outside the block and pass it in"),
        )
        .to_compile_error();
        let dummy = Skeleton::skim(input).map(|s| dummy::generate(&s));
        return quote!(#error #dummy);
    }
    let parsed: StackInput = match syn::parse2(input.clone()) {
        Ok(parsed) => parsed,
        Err(error) => {
            let error = error.to_compile_error();
            let dummy = Skeleton::skim(input).map(|s| dummy::generate(&s));
            return quote!(#error #dummy);
        }
    };
    let cx = Ctxt::new();
    let model = model::build(&parsed, &cx);
    match cx.check() {
        Ok(()) => {
            let expanded = generate(&model);
            debug_print(&parsed, &expanded);
            expanded
        }
        Err(errors) => {
            let dummy = dummy::generate(&Skeleton::of(&parsed));
            quote!(#errors #dummy)
        }
    }
}

/// The deepest nesting of brackets, braces and parentheses a block may have; templates
/// stay far below it, and the parser and the expansion recurse once per level.
const MAX_DEPTH: usize = 64;

/// Where the tokens first nest deeper than [`MAX_DEPTH`], found without recursion.
fn too_deep(tokens: &TokenStream) -> Option<proc_macro2::Span> {
    let mut stack = vec![tokens.clone().into_iter()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            Some(proc_macro2::TokenTree::Group(group)) => {
                if stack.len() > MAX_DEPTH {
                    return Some(group.span_open());
                }
                stack.push(group.stream().into_iter());
            }
            Some(_) => {}
            None => {
                stack.pop();
            }
        }
    }
    None
}

fn generate(model: &Model) -> TokenStream {
    let Model {
        vis,
        name,
        doc,
        description,
        props,
        uses,
        params,
        lets,
        resources,
        grants,
        loops,
        outputs,
        exports,
        tags,
        overrides,
        env,
    } = model;
    let props_param = props.as_ref().map(|(ident, ty)| quote!(, #ident: &#ty));
    let uses_params = uses
        .iter()
        .map(|(ident, ty)| quote!(, #ident: &::stack_core::InApp<#ty, __App>));
    // A stack that uses others is tied to their app: only that app's `add` takes it.
    let (app_param, returns, wrap) = if uses.is_empty() {
        (quote!(), quote!(Self), quote!())
    } else {
        (
            quote!(<__App>),
            quote!(::stack_core::FromApp<Self, __App>),
            quote!(::stack_core::FromApp::new),
        )
    };
    let stack_decl = stack_decl(name, uses, exports, env.as_ref());
    let set_env = env.as_ref().map(|e| &e.build);
    let description = description
        .as_ref()
        .map(|d| quote!(__stack.set_description(#d);));

    let resource_fields = resources.iter().map(|r| {
        let (name, ty, docs, id) = (&r.name, &r.handle_ty, &r.doc, &r.logical_id);
        let summary = format!(" The resource `{id}`.");
        let docs = if docs.is_empty() {
            quote!(#[doc = #summary])
        } else {
            quote!(#(#docs)*)
        };
        quote!(#docs pub #name: #ty)
    });
    let param_fields = params.iter().map(|p| {
        let (name, ty, docs) = (&p.name, &p.value_ty, &p.doc);
        let docs = if docs.is_empty() {
            quote!(#[doc = " A template parameter."])
        } else {
            quote!(#(#docs)*)
        };
        quote!(#docs pub #name: ::stack_core::Value<#ty>)
    });
    let output_fields = outputs.iter().map(|o| {
        let (name, docs) = (&o.name, &o.doc);
        let docs = if docs.is_empty() {
            quote!(#[doc = " A stack output."])
        } else {
            quote!(#(#docs)*)
        };
        quote!(#docs pub #name: ::stack_core::Value<::std::string::String>)
    });
    let field_names: Vec<_> = resources
        .iter()
        .map(|r| &r.name)
        .chain(params.iter().map(|p| &p.name))
        .chain(outputs.iter().map(|o| &o.name))
        .collect();
    let declares = resources.iter().map(|r| {
        let (name, declare) = (&r.name, &r.declare);
        quote!(let #name = #declare;)
    });
    let param_builds = params.iter().map(|p| &p.build);
    let builds = resources.iter().map(|r| &r.build);
    let output_builds = outputs.iter().map(|o| &o.build);
    let new_doc = if uses.is_empty() {
        format!(" Builds the `{name}` stack under the given stack name.")
    } else {
        format!(" Builds the `{name}` stack under the given stack name, from stacks of the app `__App`; only that app's `add` takes it.")
    };

    quote! {
        #(#doc)*
        #vis struct #name {
            #(#resource_fields,)*
            #(#param_fields,)*
            #(#output_fields,)*
            __stack_name: ::std::string::String,
            __synthesized: ::core::result::Result<::stack_core::Synthesized, ::stack_core::SynthError>,
        }

        impl #name {
            #[doc = #new_doc]
            #[allow(unused_variables, clippy::redundant_clone, clippy::needless_borrow, clippy::needless_update)]
            #vis fn new #app_param (stack_name: impl ::core::convert::Into<::std::string::String> #props_param #(#uses_params)*) -> #returns {
                let __name: ::std::string::String = stack_name.into();
                let mut __stack = ::stack_core::StackBuilder::new(::std::clone::Clone::clone(&__name))
                    .with_base_dir(::core::env!("CARGO_MANIFEST_DIR"));
                #description
                #set_env
                #(#param_builds)*
                #(#declares)*
                #(#lets)*
                #(#builds)*
                #(#loops)*
                #(#grants)*
                #(#output_builds)*
                #(#tags)*
                #(#overrides)*
                #wrap(Self {
                    #(#field_names,)*
                    __stack_name: __name,
                    __synthesized: __stack.finish(),
                })
            }
        }

        #stack_decl

        impl ::stack_core::Stack for #name {
            fn stack_name(&self) -> &str {
                &self.__stack_name
            }

            fn synthesized(&self) -> ::core::result::Result<&::stack_core::Synthesized, &::stack_core::SynthError> {
                self.__synthesized.as_ref()
            }
        }
    }
}

/// The `StackDecl` impl, and the checks between this stack and those it uses.
///
/// A stack's depth is one more than the deepest stack it uses, so stacks that use each
/// other would be a const-evaluation cycle. Two stacks that use each other directly are
/// reported by name instead, once on each one's `uses` clause: a used stack's depth does
/// not count when it uses this one back (its `USES` lists this stack's `PATH`), and a
/// constant panics with the message. A longer cycle stays rustc's cycle of `DEPTH`s.
fn stack_decl(
    name: &syn::Ident,
    uses: &[(syn::Ident, syn::Type)],
    exports: &[(String, proc_macro2::Span)],
    env: Option<&EnvModel>,
) -> TokenStream {
    let decl = quote!(::stack_core::stack::StackDecl);
    let used_paths = uses
        .iter()
        .map(|(_, ty)| quote_spanned!(ty.span()=> <#ty as #decl>::PATH));
    let used = uses.iter().map(|(_, ty)| {
        quote_spanned! {ty.span()=>
            let used = <::stack_core::__private::Used<
                { !::stack_core::__private::contains(<#ty as #decl>::USES, <#name as #decl>::PATH) },
                #ty,
            > as ::stack_core::__private::UsedDepth>::DEPTH;
            if used >= depth {
                depth = used + 1;
            }
        }
    });
    let each_other = uses.iter().map(|(_, ty)| {
        let message = format!(
            "stacks `{name}` and `{}` use each other; a stack can only use stacks added to the app before it, so only one of them can use the other",
            type_name(ty)
        );
        quote_spanned! {ty.span()=>
            const _: () = if ::stack_core::__private::contains(<#ty as #decl>::USES, <#name as #decl>::PATH) {
                ::core::panic!(#message)
            };
        }
    });
    // An export name that a used stack exports too: both are deployed in one app.
    let mut shared_exports = Vec::new();
    for (_, ty) in uses {
        for (export, span) in exports {
            let message = format!(
                "stacks `{name}` and `{}` both export `{export}`; export names are unique in a region, so rename one of them",
                type_name(ty)
            );
            shared_exports.push(quote_spanned! {*span=>
                const _: () = if ::stack_core::__private::contains(<#ty as #decl>::EXPORTS, #export) {
                    ::core::panic!(#message)
                };
            });
        }
    }
    let across = uses
        .iter()
        .flat_map(|(_, ty)| across_environments(name, ty, env));
    let export_names = exports.iter().map(|(export, _)| export);
    let option = |value: Option<&String>| match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    let account = option(env.and_then(|e| e.account.as_ref()));
    let region = option(env.and_then(|e| e.region.as_ref()));
    let cross_region = env.is_some_and(|e| e.cross_region_references);
    let depth = if uses.is_empty() {
        quote!(0)
    } else {
        quote!({
            let mut depth = 0;
            #(#used)*
            depth
        })
    };
    let path = format!("::{name}");
    quote_spanned! {name.span()=>
        #[diagnostic::do_not_recommend]
        impl #decl for #name {
            const PATH: &'static str = ::core::concat!(::core::module_path!(), #path);
            const USES: &'static [&'static str] = &[#(#used_paths),*];
            const DEPTH: usize = #depth;
            const EXPORTS: &'static [&'static str] = &[#(#export_names),*];
            const ACCOUNT: ::core::option::Option<&'static str> = #account;
            const REGION: ::core::option::Option<&'static str> = #region;
            const CROSS_REGION_REFERENCES: bool = #cross_region;
        }

        #(#each_other)*
        #(#across)*
        #(#shared_exports)*

        // Evaluated here so that a longer cycle of `uses` fails to compile.
        const _: usize = <#name as #decl>::DEPTH;
    }
}

/// The checks of `uses ty` between this stack's literal account and region and the used
/// stack's, on the `uses` clause: exports are read only in their own account and region.
/// Another region passes with `cross_region_references: true` (the route through SSM,
/// which `synth` reports as not supported yet); another account never does.
fn across_environments(
    name: &syn::Ident,
    ty: &syn::Type,
    env: Option<&EnvModel>,
) -> Vec<TokenStream> {
    let decl = quote!(::stack_core::stack::StackDecl);
    let used = type_name(ty);
    let mut checks = Vec::new();
    let Some(env) = env else { return checks };
    if let Some(account) = &env.account {
        let head = format!("stack `{name}` (account {account}) uses stack `{used}` (account ");
        let tail =
            "); exports are read only in their own account, so pin both stacks to one account";
        checks.push(quote_spanned! {ty.span()=>
            const _: () = if let ::core::option::Option::Some((_, theirs)) =
                ::stack_core::__private::differ(<#name as #decl>::ACCOUNT, <#ty as #decl>::ACCOUNT)
            {
                let message = ::stack_core::__private::Message::new(&[#head, theirs, #tail]);
                ::core::panic!("{}", message.as_str())
            };
        });
    }
    if let (Some(region), false) = (&env.region, env.cross_region_references) {
        let head = format!("stack `{name}` ({region}) uses stack `{used}` (");
        let tail = "); exports are read only in their own region, so pin both stacks to one region";
        checks.push(quote_spanned! {ty.span()=>
            const _: () = if let ::core::option::Option::Some((_, theirs)) =
                ::stack_core::__private::differ(<#name as #decl>::REGION, <#ty as #decl>::REGION)
            {
                let message = ::stack_core::__private::Message::new(&[#head, theirs, #tail]);
                ::core::panic!("{}", message.as_str())
            };
        });
    }
    checks
}

/// A type as the user wrote it, for messages: `Network`, `crate::net::Network`.
fn type_name(ty: &syn::Type) -> String {
    quote!(#ty).to_string().replace(' ', "")
}

/// Prints the expansion when `STACK_MACROS_DEBUG` is set, for users reading what their
/// block became.
fn debug_print(input: &StackInput, expanded: &TokenStream) {
    if std::env::var_os("STACK_MACROS_DEBUG").is_some_and(|v| v != "0") {
        #[allow(
            clippy::print_stderr,
            reason = "printing the expansion is what the user asked for"
        )]
        {
            eprintln!("// stack! expansion of `{}`\n{expanded}", input.name);
        }
    }
}

#[cfg(test)]
mod tests {
    // The nesting limit, checked without recursion.
    use super::*;

    fn nested(depth: usize) -> TokenStream {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
            .parse()
            .expect("tokens")
    }

    #[test]
    fn nesting_beyond_the_limit_is_found_at_any_depth() {
        assert!(too_deep(&nested(MAX_DEPTH)).is_none());
        assert!(too_deep(&nested(MAX_DEPTH + 1)).is_some());
        assert!(too_deep(&nested(100_000)).is_some());
    }
}
