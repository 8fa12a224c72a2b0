//! Content negotiation: `f=json|html` wins over the `Accept` header.

use axum::http::{HeaderMap, header};

use crate::error::ApiError;

/// The representation a client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
}

impl Format {
    /// Decides from the `f` parameter, else from `Accept`: HTML only when the client prefers it (browsers),
    /// JSON for everything else (GDAL, QGIS, curl).
    pub fn negotiate(f: Option<&str>, headers: &HeaderMap) -> Result<Format, ApiError> {
        match f {
            Some("json" | "geojson") => return Ok(Format::Json),
            Some("html") => return Ok(Format::Html),
            Some(other) => {
                return Err(ApiError::invalid("f", format!("`{other}` is not a format; use `json` or `html`")));
            }
            None => {}
        }
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
        Ok(preferred(accept))
    }
}

pub(crate) fn preferred(accept: &str) -> Format {
    let mut best = (Format::Json, -1.0_f32);
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or("");
        let q = parts.find_map(|p| p.strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
        let format = match media {
            "text/html" | "application/xhtml+xml" => Format::Html,
            "application/json" | "application/geo+json" | "application/schema+json" | "application/problem+json" => {
                Format::Json
            }
            m if m.starts_with("application/vnd.oai.openapi") => Format::Json,
            _ => continue,
        };
        if q > best.1 {
            best = (format, q);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_get_html_and_gdal_gets_json() {
        assert_eq!(preferred("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), Format::Html);
        assert_eq!(preferred("application/geo+json, application/json"), Format::Json);
        assert_eq!(preferred("*/*"), Format::Json);
        assert_eq!(preferred(""), Format::Json);
        assert_eq!(preferred("text/html;q=0.5, application/json"), Format::Json);
    }
}
