//! The server-rendered pages of a scan, through maud: every value is escaped by default.

use chrono::NaiveDate;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use ocop_domain::calendar::vietnam_time;

use super::Trace;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#fafafa;color:#222}main{max-width:560px;margin:auto;padding:16px}\
h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.05em;margin:1.2em 0 .4em;color:#b71c1c}.card{background:#fff;border-radius:8px;padding:12px 14px;margin:10px 0;box-shadow:0 1px 2px #0002}\
.star{color:#e6a700;font-size:1.2em}.warn{background:#fdecea;color:#a4000f;border:1px solid #f5c2c0}.ok{color:#1b5e20}dt{color:#666;font-size:.85em}dd{margin:0 0 .5em}\
button{padding:8px 12px;border-radius:6px;border:1px solid #999;background:#fff}small{color:#777}\
.photo{display:block;width:100%;max-height:240px;object-fit:cover;border-radius:6px;background:#eee}";

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn layout(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    }
    .into_string()
}

/// A supply-chain step in Vietnamese.
fn step_vi(step: Option<&str>) -> &'static str {
    match step {
        Some("commissioning") => "Thu hoạch, khởi tạo lô",
        Some("transforming") => "Chế biến",
        Some("packing") => "Đóng gói",
        Some("shipping") => "Xuất hàng",
        Some("receiving") => "Nhận hàng",
        Some("inspecting") => "Kiểm tra",
        Some("retail_selling") => "Bán lẻ",
        _ => "Sự kiện chuỗi cung ứng",
    }
}

/// The script that lets the consumer share where they scanned. Its only inputs are the stamp
/// code and the scan id, written as JSON strings.
fn share_script(code: &str, scan: &str) -> String {
    let url = serde_json::to_string(&format!("/api/v1/public/trace/{code}/scans/{scan}/place")).unwrap_or_default();
    format!(
        "document.getElementById('share').onclick=function(){{navigator.geolocation&&navigator.geolocation.getCurrentPosition(function(p){{\
fetch({url},{{method:'POST',headers:{{'Content-Type':'application/json'}},body:JSON.stringify({{lat:p.coords.latitude,lon:p.coords.longitude}})}})\
.then(function(){{document.getElementById('shared').textContent='Cảm ơn bạn.'}})}})}}"
    )
    .replace("</", "<\\/")
}

/// The page a consumer sees on scanning a genuine stamp.
pub fn trace_page(t: &Trace) -> String {
    let b = &t.batch;
    let body = html! {
        @if let Some(w) = &t.warning_vi {
            div class="card warn" id="warning" role="alert" { strong { (w) } }
        }
        div class="card" {
            @if let Some(photo) = &b.photo_path {
                img id="photo" class="photo" src=(photo) alt=(b.product_name) loading="lazy" decoding="async";
            }
            h1 { (b.product_name) }
            @match (b.star, &b.certificate_number, b.certificate_valid_until) {
                (Some(star), Some(number), Some(until)) => {
                    div class="star" id="star" {
                        ("★".repeat(usize::try_from(star).unwrap_or(0))) " "
                        small { "Sản phẩm OCOP " (star) " sao" }
                    }
                    small { "Giấy chứng nhận " (number) " · hiệu lực đến " (dmy(until)) }
                }
                _ => { small { "Chưa có giấy chứng nhận OCOP còn hiệu lực." } }
            }
            dl {
                dt { "Mã sản phẩm" } dd { (b.product_code) }
                dt { "Mã tem · số sê-ri" } dd { (t.code) " · " (t.serial) }
                dt { "Số lần quét tem" } dd id="scans" { (t.scans) }
            }
        }
        div class="card" {
            h2 { "Nhà sản xuất" }
            dl {
                dt { "Tên" } dd { (b.producer_name) }
                dt { "Địa chỉ" } dd { (b.producer_address) }
                dt { "Điện thoại" } dd { (b.producer_phone) }
            }
        }
        div class="card" id="batch" {
            h2 { "Lô sản xuất" }
            dl {
                dt { "Số lô" } dd { (b.batch_code) }
                dt { "Ngày sản xuất" } dd { (dmy(b.produced_on)) }
                dt { "Hạn sử dụng" } dd { (b.expires_on.map_or_else(|| "—".to_owned(), dmy)) }
                dt { "Tiêu chuẩn áp dụng" } dd { (b.standard) }
                @for test in &b.lab_tests {
                    dt { "Kiểm nghiệm (" (test.laboratory) ", " (dmy(test.tested_on)) ")" }
                    dd class=(if test.passed { "ok" } else { "warn" }) {
                        (if test.passed { "Đạt" } else { "Không đạt" }) " — " (test.summary)
                    }
                }
            }
        }
        @if !b.inputs.is_empty() {
            div class="card" {
                h2 { "Nguồn gốc nguyên liệu" }
                ul {
                    @for i in &b.inputs {
                        li {
                            (i.material) " — " (i.supplier)
                            @if let Some(origin) = &i.origin { " · " (origin) }
                            @if let (Some(code), Some(name)) = (&i.growing_area_code, &i.growing_area_name) {
                                " · vùng trồng " (name) " (" (code) ")"
                            }
                        }
                    }
                }
            }
        }
        @if !b.events.is_empty() {
            div class="card" {
                h2 { "Hành trình sản phẩm" }
                ul {
                    @for e in &b.events {
                        li {
                            (e.event_time.with_timezone(&vietnam_time()).format("%d/%m/%Y %H:%M").to_string())
                            " — " (step_vi(e.biz_step.as_deref()))
                        }
                    }
                }
            }
        }
        div class="card" {
            button id="share" { "Chia sẻ vị trí quét (giúp phát hiện hàng giả)" }
            " "
            small id="shared" {}
        }
        script { (PreEscaped(share_script(&t.code, &t.scan_id.to_string()))) }
    };
    layout(&format!("{} — truy xuất nguồn gốc", b.product_name), body)
}

/// The page of a code that is no stamp (or a voided one).
pub fn invalid_page() -> String {
    layout(
        "Tem không hợp lệ",
        html! {
            div class="card warn" id="invalid" {
                h1 { "Tem không hợp lệ" }
                p { "Mã tem này không có trong hệ thống hoặc đã bị hủy. Sản phẩm có thể không chính hãng." }
                p { small { "This is not a valid stamp." } }
            }
        },
    )
}

/// The page of a client over its look-up budget.
pub fn too_many_page() -> String {
    layout(
        "Quá nhiều lượt tra cứu",
        html! {
            div class="card warn" {
                h1 { "Quá nhiều lượt tra cứu" }
                p { "Vui lòng thử lại sau một phút." }
                p { small { "Too many look-ups; try again in a minute." } }
            }
        },
    )
}

/// The page shown when the look-up failed on our side.
pub fn unavailable_page() -> String {
    layout("Tạm thời gián đoạn", html! { p { "Hệ thống đang bận, vui lòng thử lại sau." } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_script_cannot_close_its_element() {
        let script = share_script("</script><script>alert(1)", "x");
        assert!(!script.contains("</script>"), "{script}");
    }
}
