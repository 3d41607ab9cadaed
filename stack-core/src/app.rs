//! Apps: the stacks one binary synthesizes and deploys.

use crate::stack::Stack;

/// The stacks of one app, in the order they were added.
#[derive(Default)]
pub struct App {
    stacks: Vec<Box<dyn Stack>>,
}

impl App {
    /// An app with no stacks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a stack.
    #[must_use]
    pub fn stack(mut self, stack: impl Stack + 'static) -> Self {
        self.stacks.push(Box::new(stack));
        self
    }

    /// The stacks, in the order they were added.
    pub fn stacks(&self) -> impl Iterator<Item = &dyn Stack> {
        self.stacks.iter().map(|s| s.as_ref())
    }
}
