//! Messenger handles: service names with names, `@mentions`, links, and numbers on phone messengers.

use redflag_core::extract::EntityKind::{Handle, Phone};

use crate::support::{check, check_all};

#[test]
fn service_name_then_handle() {
    check_all(
        Handle,
        None,
        &[
            ("Telegram: @Jane_Doe", &["Telegram: @Jane_Doe => telegram:jane_doe"]),
            ("tg @jane_doe", &["tg @jane_doe => telegram:jane_doe"]),
            ("IG - jane.doe.", &["IG - jane.doe => instagram:jane.doe"]),
            ("insta: jane.doe", &["insta: jane.doe => instagram:jane.doe"]),
            ("snap: jane22", &["snap: jane22 => snapchat:jane22"]),
            ("Snapchat = janedoe", &["Snapchat = janedoe => snapchat:janedoe"]),
            ("WeChat ID: jane_w", &["WeChat ID: jane_w => wechat:jane_w"]),
            ("Line ID: janeline", &["Line ID: janeline => line:janeline"]),
            ("kik: jane", &["kik: jane => kik:jane"]),
            ("mi telegram es @ana_mx", &["telegram es @ana_mx => telegram:ana_mx"]),
            ("snap jane", &[]),
            ("stand in line: yes", &[]),
        ],
    );
}

#[test]
fn mentions_take_the_service_named_nearby() {
    check_all(
        Handle,
        None,
        &[
            ("find me @jane_doe on telegram", &["@jane_doe => telegram:jane_doe"]),
            ("@jane (tg)", &["@jane => telegram:jane"]),
            ("Telegram: @ana_1, @maria_2", &["Telegram: @ana_1 => telegram:ana_1", "@maria_2 => unknown:maria_2"]),
        ],
    );
}

#[test]
fn bare_mentions_are_unknown_only_when_they_look_like_handles() {
    check_all(
        Handle,
        None,
        &[
            ("@jane_doe99", &["@jane_doe99 => unknown:jane_doe99"]),
            ("follow @janedoe", &["@janedoe => unknown:janedoe"]),
            ("incall @home, outcall @hotel", &[]),
            ("available @night", &[]),
            ("mail jane@example.com", &[]),
        ],
    );
}

#[test]
fn links_name_the_service() {
    check_all(
        Handle,
        None,
        &[
            ("https://t.me/jane_doe", &["https://t.me/jane_doe => telegram:jane_doe"]),
            ("t.me/joinchat/abcdef", &[]),
            ("instagram.com/jane.doe/", &["instagram.com/jane.doe/ => instagram:jane.doe"]),
            ("https://www.snapchat.com/add/jane22", &["https://www.snapchat.com/add/jane22 => snapchat:jane22"]),
            ("kik.me/jane", &["kik.me/jane => kik:jane"]),
            ("https://line.me/ti/p/~janeline", &["https://line.me/ti/p/~janeline => line:janeline"]),
            ("x.com/janedoe", &["x.com/janedoe => twitter:janedoe"]),
            ("wa.me/17025550148", &["wa.me/17025550148 => whatsapp:+17025550148"]),
            ("https://signal.me/#p/+447700900123", &["https://signal.me/#p/+447700900123 => signal:+447700900123"]),
        ],
    );
}

#[test]
fn numbers_next_to_phone_messengers_are_handles_and_phones() {
    let input = "WhatsApp +1 702 555 0148";
    check(Handle, Some("US"), input, &["+1 702 555 0148 => whatsapp:+17025550148"]);
    check(Phone, Some("US"), input, &["+1 702 555 0148 => +17025550148"]);
    check(Handle, Some("US"), "WhatsApp/Telegram: 702-555-0148", &["702-555-0148 => telegram:+17025550148"]);
    check(Handle, Some("ID"), "WA 0812-1234-5678", &["0812-1234-5678 => whatsapp:+6281212345678"]);
    check(Handle, Some("BR"), "(11) 98765-4321 (zap)", &["(11) 98765-4321 => whatsapp:+5511987654321"]);
    check(Handle, Some("US"), "call 702-555-0148", &[]);
}
