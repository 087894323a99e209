//! A spreadsheet sent in a `multipart/form-data` body, read one way for the API
//! (`POST /api/v1/imports`) and the pages (`POST /import`): the part named `file`, and the
//! form's text fields beside it. Both faces refuse alike, on the field `file`, in the person's
//! language: no file (`upload.missing`, 400), a body larger than
//! [`sesame_app::import::MAX_UPLOAD`] (`upload.too_large`, 413), a body that is not a whole
//! multipart form (`upload.broken`, 400). The size limit itself is the routes'
//! `DefaultBodyLimit`; a body that announces more is refused before it is read.

use crate::problem::ApiError;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use sesame_app::import::MAX_UPLOAD;
use sesame_core::FieldError;

/// The form's name for the file.
const FILE: &str = "file";

/// The name a file sent without one goes by (its format is then read as CSV).
const UNNAMED: &str = "import.csv";

/// A multipart body announced as no larger than the limit, not read yet.
pub(crate) struct UploadBody(Multipart);

impl<S: Send + Sync> FromRequest<S> for UploadBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let announced = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|n| n > MAX_UPLOAD as u64) {
            return Err(too_large());
        }
        Multipart::from_request(req, state)
            .await
            .map(UploadBody)
            .map_err(|e: MultipartRejection| broken(&e.body_text()))
    }
}

/// A file as it came.
pub(crate) struct UploadedFile {
    pub name: String,
    pub bytes: Bytes,
}

/// A form that carried (or should have carried) a spreadsheet.
pub(crate) struct UploadForm {
    /// The text fields, in the order sent.
    fields: Vec<(String, String)>,
    file: Option<UploadedFile>,
}

impl UploadForm {
    /// Reads the form. When the file's part comes, `may_read_file` is asked whether the fields
    /// read so far allow reading it (the pages' CSRF token comes before the file); when they do
    /// not, reading stops there and the file is left unread.
    pub(crate) async fn read(
        body: Result<UploadBody, ApiError>,
        may_read_file: impl Fn(&Self) -> bool,
    ) -> Result<Self, ApiError> {
        let UploadBody(mut body) = body?;
        let mut form = Self {
            fields: Vec::new(),
            file: None,
        };
        while let Some(part) = body.next_field().await.map_err(unreadable)? {
            let name = part.name().unwrap_or_default().to_string();
            if name != FILE {
                let value = part.text().await.map_err(unreadable)?;
                form.fields.push((name, value));
                continue;
            }
            if !may_read_file(&form) {
                break;
            }
            let file_name = part.file_name().unwrap_or_default().to_string();
            let bytes = part.bytes().await.map_err(unreadable)?;
            // A page's file input left empty still sends its part: no name, no content.
            form.file = (!file_name.is_empty() || !bytes.is_empty()).then(|| UploadedFile {
                name: if file_name.is_empty() {
                    UNNAMED.to_string()
                } else {
                    file_name
                },
                bytes,
            });
        }
        Ok(form)
    }

    /// The first text field named `name`.
    pub(crate) fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every text field, in the order sent.
    pub(crate) fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The file, or `upload.missing` when none came.
    pub(crate) fn file(self) -> Result<UploadedFile, ApiError> {
        self.file
            .ok_or_else(|| ApiError::bad_request(FieldError::new(FILE, "upload.missing")))
    }
}

/// A body that broke off or went past the limit while it was read.
fn unreadable(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        broken(&e.body_text())
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "bad-request",
        vec![
            FieldError::new(FILE, "upload.too_large")
                .with("max", (MAX_UPLOAD / (1024 * 1024)).to_string()),
        ],
    )
}

/// The reason is the multipart parser's, in English: for the log, not for the person.
fn broken(reason: &str) -> ApiError {
    tracing::debug!(reason, "an upload's body could not be read");
    ApiError::bad_request(FieldError::new(FILE, "upload.broken"))
}
