use stack_core::prelude::*;

stack! {
    pub stack Storage {
        resource files: Bucket {}
    }
}

stack! {
    pub stack Workers uses storage: Storage {
        resource worker: Function {
            code: Code::asset("lambda"),
            runtime: Runtime::Python312,
            handler: "index.handler",
            environment: { BUCKET: storage.files.name },
        }
    }
}

struct Production;
struct Staging;

fn main() {
    let mut production = App::<Production>::typed();
    let mut staging = App::<Staging>::typed();
    let storage = production.add(Storage::new("Storage"));
    // `storage` is a stack of the production app: the staging app cannot import from it.
    staging.add(Workers::new("Workers", &storage));
}
