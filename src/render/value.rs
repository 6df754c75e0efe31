//! Building template values by hand: cheaper and clearer than serializing
//! structs made only to be serialized. Maps and lists are reference-counted,
//! so a value built once is shared by every page that shows it.

use tera::{Map, Value};

/// A template map under construction, keys in insertion order.
#[derive(Default)]
pub struct Obj(Map);

impl Obj {
    pub fn new() -> Self {
        Obj(Map::default())
    }

    pub fn set(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    pub fn insert(&mut self, key: &'static str, value: impl Into<Value>) {
        self.0.insert(key.into(), value.into());
    }

    /// Starts from a copy of a map value (its entries are shared, not copied).
    pub fn extend(value: &Value) -> Self {
        Obj(value.as_map().cloned().unwrap_or_default())
    }

    pub fn build(self) -> Value {
        Value::from(self.0)
    }
}

/// A list value.
pub fn list(items: impl IntoIterator<Item = Value>) -> Value {
    Value::from(items.into_iter().collect::<Vec<Value>>())
}

/// A map value from string keys, in the iterator's order.
pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
    let mut m = Map::default();
    for (k, v) in entries {
        m.insert(k.into().into(), v);
    }
    Value::from(m)
}

/// `none` for templates.
pub fn none() -> Value {
    Value::none()
}

/// HTML that templates print as it is.
pub fn safe(html: &str) -> Value {
    Value::safe_string(html)
}

/// A template value from any YAML value (`extra` maps).
pub fn from_yaml(value: &crate::yaml::Value) -> Value {
    Value::from_serializable(value)
}
