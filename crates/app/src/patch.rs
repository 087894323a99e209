//! A field of a partial update: absent (leave it), `null` (clear it) or a value (set it).

use serde::{Deserialize, Deserializer};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Patch<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Patch<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }
}

impl<T: std::ops::Deref> Patch<T> {
    /// The same change, borrowed (`Patch<String>` → `Patch<&str>`).
    pub fn as_deref(&self) -> Patch<&T::Target> {
        match self {
            Patch::Absent => Patch::Absent,
            Patch::Null => Patch::Null,
            Patch::Value(v) => Patch::Value(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Called only when the key is present (absent keys take the default).
        Ok(match Option::<T>::deserialize(d)? {
            Some(v) => Patch::Value(v),
            None => Patch::Null,
        })
    }
}

impl<T> From<Option<T>> for Patch<T> {
    fn from(o: Option<T>) -> Self {
        o.map_or(Patch::Absent, Patch::Value)
    }
}
