//! `Rc` props compared by pointer: the report is recomputed as a whole, so a new `Rc` means
//! new content and the same `Rc` means nothing changed (and `Report` need not be `PartialEq`).

use std::ops::Deref;
use std::rc::Rc;

pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
