//! The stand-in emitted when a stack has errors: the same type, constructor and fields,
//! so the code that uses the stack (`Demo::new(..).photos.arn()`) compiles and the user
//! sees only the real errors. A block that does not even parse is skimmed for its name,
//! its props and its declarations, so a syntax error does not cascade either.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Ident, Path, Token, Type, Visibility};

use stack_spec::cfn_index;

use crate::ast::{Item, StackInput};
use crate::lower::common::stack_path;
use crate::lower::param::param_types;

/// What code outside a block sees of its stack.
pub(crate) struct Skeleton {
    vis: Visibility,
    name: Ident,
    props: Option<(Ident, Type)>,
    uses: Vec<(Ident, Type)>,
    fields: Vec<(Ident, TokenStream)>,
}

impl Skeleton {
    /// The skeleton of a block that parsed.
    pub(crate) fn of(input: &StackInput) -> Self {
        let mut fields = Vec::new();
        for item in &input.items {
            match item {
                Item::For(f) => {
                    for inner in &f.items {
                        if let Item::Resource(r) = inner {
                            if let Some(ty) = handle_type(&r.ty) {
                                fields.push((r.name.clone(), quote!(::std::vec::Vec<#ty>)));
                            }
                        }
                    }
                }
                Item::Resource(r) => {
                    if let Some(ty) = handle_type(&r.ty) {
                        fields.push((r.name.clone(), ty));
                    }
                }
                Item::Param(p) => fields.push((p.name.clone(), param_type(&p.ty))),
                Item::Output(o) => fields.push((o.name.clone(), output_type())),
                _ => {}
            }
        }
        Self {
            vis: input.vis.clone(),
            name: input.name.clone(),
            props: input.props.clone(),
            uses: input.uses.clone(),
            fields,
        }
    }

    /// The skeleton of a block that does not parse, from what its tokens still show:
    /// `stack Name(props: Type) uses a: A { resource x: T ..., param p: P ..., output o ... }`.
    pub(crate) fn skim(tokens: TokenStream) -> Option<Self> {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let at = tokens
            .iter()
            .position(|t| matches!(t, TokenTree::Ident(i) if i == "stack"))?;
        let vis = syn::parse2::<Visibility>(
            tokens[..at]
                .iter()
                .filter(|t| !is_attribute_part(t))
                .cloned()
                .collect(),
        )
        .unwrap_or(Visibility::Inherited);
        let TokenTree::Ident(name) = tokens.get(at + 1)? else {
            return None;
        };
        let mut rest = tokens[at + 2..].iter().peekable();
        let mut props = None;
        if let Some(TokenTree::Group(g)) = rest.peek() {
            if g.delimiter() == Delimiter::Parenthesis {
                props = typed_names(g.stream()).into_iter().next();
                rest.next();
            }
        }
        let mut uses = Vec::new();
        let mut body = None;
        let mut uses_tokens = TokenStream::new();
        for token in rest {
            match token {
                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                    body = Some(g.stream());
                    break;
                }
                TokenTree::Ident(i) if i == "uses" => {}
                other => uses_tokens.extend([other.clone()]),
            }
        }
        uses.extend(typed_names(uses_tokens));
        let mut fields = Vec::new();
        skim_body(body?, 0, &mut fields);
        Some(Self {
            vis,
            name: name.clone(),
            props,
            uses,
            fields,
        })
    }
}

/// `#` and the bracketed group of an attribute.
fn is_attribute_part(token: &TokenTree) -> bool {
    match token {
        TokenTree::Punct(p) => p.as_char() == '#',
        TokenTree::Group(g) => g.delimiter() == Delimiter::Bracket,
        _ => false,
    }
}

/// `a: A, b: B`, as far as it parses.
fn typed_names(tokens: TokenStream) -> Vec<(Ident, Type)> {
    let parser = Punctuated::<TypedName, Token![,]>::parse_terminated;
    parser
        .parse2(tokens)
        .map(|list| list.into_iter().map(|t| (t.name, t.ty)).collect())
        .unwrap_or_default()
}

struct TypedName {
    name: Ident,
    ty: Type,
}

impl syn::parse::Parse for TypedName {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let name = input.parse()?;
        input.parse::<Token![:]>()?;
        Ok(Self {
            name,
            ty: input.parse()?,
        })
    }
}

/// The `for` nesting the skim follows; a block nested deeper is an error anyway.
const MAX_LOOPS: usize = 16;

/// The declarations still recognisable in a block's body, `loops` deep in `for`s.
fn skim_body(body: TokenStream, loops: usize, fields: &mut Vec<(Ident, TokenStream)>) {
    if loops > MAX_LOOPS {
        return;
    }
    let in_loop = loops > 0;
    let tokens: Vec<TokenTree> = body.into_iter().collect();
    let mut i = 0;
    let mut after_for = false;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(word) if word == "for" => after_for = true,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace && after_for => {
                skim_body(g.stream(), loops + 1, fields);
                after_for = false;
            }
            TokenTree::Ident(word) if word == "resource" => {
                if let Some((name, ty)) = skim_resource(&tokens[i + 1..]) {
                    let ty = if in_loop {
                        quote!(::std::vec::Vec<#ty>)
                    } else {
                        ty
                    };
                    fields.push((name, ty));
                }
            }
            TokenTree::Ident(word) if word == "param" => {
                if let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(colon))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    if colon.as_char() == ':' {
                        let ty: TokenStream = tokens[i + 3..]
                            .iter()
                            .take_while(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == '=' || p.as_char() == ';'))
                            .cloned()
                            .collect();
                        let ty = syn::parse2::<Type>(ty).map_or_else(
                            |_| quote!(::stack_core::Value<::std::string::String>),
                            |t| param_type(&t),
                        );
                        fields.push((name.clone(), ty));
                    }
                }
            }
            TokenTree::Ident(word) if word == "output" => {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                    fields.push((name.clone(), output_type()));
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// `name[key]?: Type::Path` at the start of `tokens`.
fn skim_resource(tokens: &[TokenTree]) -> Option<(Ident, TokenStream)> {
    let TokenTree::Ident(name) = tokens.first()? else {
        return None;
    };
    let mut i = 1;
    if matches!(tokens.get(i), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket) {
        i += 1;
    }
    match tokens.get(i)? {
        TokenTree::Punct(p) if p.as_char() == ':' => {}
        _ => return None,
    }
    let path: TokenStream = tokens[i + 1..]
        .iter()
        .take_while(|t| match t {
            TokenTree::Ident(_) => true,
            TokenTree::Punct(p) => p.as_char() == ':',
            _ => false,
        })
        .cloned()
        .collect();
    let path = syn::parse2::<Path>(path).ok()?;
    Some((name.clone(), handle_type(&path)?))
}

/// The type of a resource's field: a handle of the generated type for a CloudFormation
/// type the index knows, the construct's own type otherwise.
fn handle_type(path: &Path) -> Option<TokenStream> {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    if segments.len() == 3 {
        let schema = cfn_index::resource(&segments.join("::"))?;
        let generated = stack_path(schema.path(), path.span());
        return Some(quote!(::stack_core::Handle<#generated>));
    }
    Some(quote!(#path))
}

/// The field type of a parameter declared as `ty`.
fn param_type(ty: &Type) -> TokenStream {
    let value = param_types(ty).map_or_else(|| quote!(::std::string::String), |(_, v)| v);
    quote!(::stack_core::Value<#value>)
}

fn output_type() -> TokenStream {
    quote!(::stack_core::Value<::std::string::String>)
}

/// The stand-in type, its constructor and its `Stack` impl.
pub(crate) fn generate(skeleton: &Skeleton) -> TokenStream {
    let Skeleton {
        vis,
        name,
        props,
        uses,
        fields,
    } = skeleton;
    let props_param = props.as_ref().map(|(ident, ty)| quote!(, #ident: &#ty));
    let uses_params = uses
        .iter()
        .map(|(ident, ty)| quote!(, #ident: &::stack_core::InApp<#ty, __App>));
    // A stack that uses others is tied to their app: only that app's `add` takes it.
    let (app_param, returns) = if uses.is_empty() {
        (quote!(), quote!(Self))
    } else {
        (quote!(<__App>), quote!(::stack_core::FromApp<Self, __App>))
    };
    // A name declared twice is an error already; the stand-in keeps its first field.
    let mut seen: Vec<String> = Vec::new();
    let fields = fields
        .iter()
        .filter(|(field, _)| {
            let first = !seen.contains(&field.to_string());
            seen.push(field.to_string());
            first
        })
        .map(|(field, ty)| quote!(#[doc(hidden)] pub #field: #ty));
    let path = format!("::{name}");
    quote! {
        #vis struct #name {
            #(#fields,)*
        }

        impl #name {
            #[allow(unused_variables)]
            #vis fn new #app_param (stack_name: impl ::core::convert::Into<::std::string::String> #props_param #(#uses_params)*) -> #returns {
                ::core::unimplemented!("the stack has compile errors")
            }
        }

        #[diagnostic::do_not_recommend]
        impl ::stack_core::stack::StackDecl for #name {
            const PATH: &'static str = ::core::concat!(::core::module_path!(), #path);
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

#[cfg(test)]
mod tests {
    // The stand-in's fields, from parsed blocks and from blocks with syntax errors.
    use super::*;

    fn field_names(skeleton: &Skeleton) -> Vec<String> {
        skeleton.fields.iter().map(|(n, _)| n.to_string()).collect()
    }

    #[test]
    fn a_block_that_does_not_parse_keeps_its_name_props_and_declarations() {
        let tokens: TokenStream = "
            /// Docs.
            pub stack Demo(props: Config) uses network: Network {
                resource photos: Bucket { versioned: true, }
                resource queue: AWS::SQS::Queue { VisibilityTimeout: 30 }
                param stage: String = \"prod\";
                for f in props.functions.iter() {
                    resource workers[f.name]: Function { handler: }
                }
                output url = photos.arn;
                resource broken: ;
            }"
        .parse()
        .expect("tokens");
        let skeleton = Skeleton::skim(tokens).expect("a skeleton");
        assert_eq!(skeleton.name, "Demo");
        assert!(matches!(skeleton.vis, Visibility::Public(_)));
        assert_eq!(
            skeleton.props.as_ref().map(|(n, _)| n.to_string()),
            Some("props".into())
        );
        assert_eq!(skeleton.uses.len(), 1);
        assert_eq!(
            field_names(&skeleton),
            ["photos", "queue", "stage", "workers", "url"]
        );
        let types: Vec<String> = skeleton.fields.iter().map(|(_, t)| t.to_string()).collect();
        assert!(
            types[1].contains("Handle < :: stack_core :: aws :: sqs :: Queue >"),
            "{types:?}"
        );
        assert!(
            types[3].starts_with(":: std :: vec :: Vec < Function"),
            "{types:?}"
        );
    }

    #[test]
    fn loops_nested_without_end_are_skimmed_without_recursing_without_end() {
        let depth = 100_000;
        let body = format!(
            "{}resource q[k]: Bucket {{}}{}",
            "for k in ks {".repeat(depth),
            "}".repeat(depth)
        );
        let tokens: TokenStream = format!("stack Demo {{ {body} }}").parse().expect("tokens");
        let skeleton = Skeleton::skim(tokens).expect("a skeleton");
        assert!(skeleton.fields.is_empty());
    }

    #[test]
    fn tokens_without_a_stack_give_no_skeleton() {
        let tokens: TokenStream = "resource photos: Bucket {}".parse().expect("tokens");
        assert!(Skeleton::skim(tokens).is_none());
    }
}
