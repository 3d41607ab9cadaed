//! PhotoSky (seed 002): a container Lambda behind a proxy REST API with CORS, and a
//! CORS-enabled photo bucket that the function reads and writes.
//!
//! The stack is a library so that tests can build it; `main.rs` is the app binary.

use stack_core::prelude::*;

/// The app's configuration, from its context (`app_name`, `image_uri`).
pub struct PhotoSkyProps {
    /// The name used for the stack, the function and (lower-cased) the bucket.
    pub app_name: String,
    /// An already-pushed image to run instead of building `lambda/`.
    pub image_uri: Option<String>,
}

impl PhotoSkyProps {
    /// The function's code: the given image, or the `lambda/` directory built as an image asset.
    pub fn code(&self) -> DockerImageCode {
        match &self.image_uri {
            Some(uri) => DockerImageCode::from_uri(uri.as_str()),
            None => DockerImageCode::from_asset("lambda"),
        }
    }
}

stack! {
    /// PhotoSky: upload and browse photos through a container Lambda behind a REST API.
    pub stack PhotoSky(props: PhotoSkyProps) {
        let bucket_name = props.app_name.to_lowercase();

        resource photos_func: DockerImageFunction {
            function_name: &props.app_name,
            code: props.code(),
            timeout: Duration::seconds(300),
            environment: {
                BUCKET_NAME: photos.name,
            },
        }

        resource api: LambdaRestApi {
            handler: photos_func,
            proxy: true,
            default_cors_preflight: CorsOptions {
                allow_origins: ["*"],
                allow_methods: Cors::ALL_METHODS,
                allow_headers: ["*"],
            },
        }

        resource photos: Bucket {
            bucket_name: bucket_name,
            cors: [CorsRule {
                allowed_methods: [HttpMethod::Get, HttpMethod::Post, HttpMethod::Put, HttpMethod::Delete],
                allowed_origins: ["*"],
                allowed_headers: ["*"],
                exposed_headers: ["ETag"],
                max_age: 3000,
            }],
            removal_policy: RemovalPolicy::Destroy,
            auto_delete_objects: true,
        }

        grant photos_func read_write photos;

        /// The REST API's base URL.
        output api_url = api.url;
        /// The bucket that holds the photos.
        output photo_bucket = photos.name;
    }
}
