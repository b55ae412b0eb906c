//! PDF reader: glyph positions and font sizes → [`crate::blocks::BlockDocument`].
