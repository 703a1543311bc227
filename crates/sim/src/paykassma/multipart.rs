//! Just enough multipart/form-data (RFC 7578) to read a possible
//! transaction: text fields and one uploaded file. Strict: a body that
//! does not follow the format is refused rather than guessed at.

/// One part of the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// The `boundary` parameter of a multipart/form-data content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (mime, params) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

/// Splits `body` into its parts.
pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<FormPart>, String> {
    let open = format!("--{boundary}");
    let delimiter = format!("\r\n--{boundary}");
    let start = find(body, open.as_bytes(), 0).ok_or("the multipart boundary is missing")?;
    let mut at = start + open.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        if !body[at..].starts_with(b"\r\n") {
            return Err("a multipart boundary is not followed by a line break".into());
        }
        at += 2;
        let head_end = find(body, b"\r\n\r\n", at).ok_or("a part has no end of headers")?;
        let head = std::str::from_utf8(&body[at..head_end])
            .map_err(|_| "part headers are not UTF-8".to_owned())?;
        let data_start = head_end + 4;
        let data_end =
            find(body, delimiter.as_bytes(), data_start).ok_or("a part is not closed")?;
        parts.push(part(head, body[data_start..data_end].to_vec())?);
        at = data_end + delimiter.len();
    }
}

fn part(head: &str, data: Vec<u8>) -> Result<FormPart, String> {
    let mut name = None;
    let mut file_name = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (key, value) = line.split_once(':').ok_or("a part header has no colon")?;
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                for param in value.split(';').skip(1) {
                    let Some((k, v)) = param.split_once('=') else {
                        continue;
                    };
                    let v = v.trim().trim_matches('"').to_owned();
                    match k.trim() {
                        "name" => name = Some(v),
                        "filename" => file_name = Some(v),
                        _ => {}
                    }
                }
            }
            "content-type" => content_type = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    Ok(FormPart {
        name: name.ok_or("a part has no name")?,
        file_name,
        content_type,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_and_a_file_are_read_exactly() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"key1\"\r\n\r\nUTR123\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"screenshot\"; filename=\"pay.png\"\r\n\
Content-Type: image/png\r\n\r\n\x89PNG\r\n\x00\r\n--XyZ--\r\n";
        let parts = parse(body, "XyZ").unwrap();
        assert_eq!(parts[0].name, "key1");
        assert_eq!(parts[0].data, b"UTR123");
        assert_eq!(parts[1].file_name.as_deref(), Some("pay.png"));
        assert_eq!(parts[1].content_type.as_deref(), Some("image/png"));
        assert_eq!(parts[1].data, b"\x89PNG\r\n\x00");
        assert_eq!(
            boundary("multipart/form-data; boundary=\"XyZ\"").as_deref(),
            Some("XyZ")
        );
        assert_eq!(boundary("application/json"), None);
    }

    #[test]
    fn a_broken_body_is_refused() {
        assert!(parse(b"no boundary here", "XyZ").is_err());
        assert!(
            parse(
                b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nopen",
                "XyZ"
            )
            .is_err()
        );
    }
}
