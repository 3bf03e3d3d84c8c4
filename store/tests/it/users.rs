use redflag_store::Role;

use crate::stores_with_site;

#[tokio::test]
async fn logins_open_sessions_and_everything_is_audited() {
    for (s, _) in stores_with_site().await {
        s.upsert_user("ana", "correct horse battery", Role::Analyst, "system").await.unwrap();
        assert!(s.login("ana", "wrong password", 60_000).await.unwrap().is_none(), "{}", s.label);
        assert!(s.login("nobody", "whatever12", 60_000).await.unwrap().is_none());
        let sess = s.login("ana", "correct horse battery", 60_000).await.unwrap().unwrap();
        assert_eq!(sess.user.role, Role::Analyst);
        assert_eq!(s.session_user(&sess.token).await.unwrap().unwrap().username, "ana");
        assert!(s.session_user("not-a-token").await.unwrap().is_none());
        // The database never holds the token itself.
        let n: i64 = sqlx::Row::try_get(
            &sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE token_hash = $1")
                .bind(&sess.token)
                .fetch_one(s.pool())
                .await
                .unwrap(),
            "n",
        )
        .unwrap();
        assert_eq!(n, 0);
        s.end_session(&sess.token).await.unwrap();
        assert!(s.session_user(&sess.token).await.unwrap().is_none());
        let expired = s.login("ana", "correct horse battery", -1).await.unwrap().unwrap();
        assert!(s.session_user(&expired.token).await.unwrap().is_none());
        assert_eq!(s.purge_sessions().await.unwrap(), 1);

        let actions: Vec<String> = s.audit_log(50, 0).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions.iter().filter(|a| *a == "login.failed").count(), 2);
        assert!(actions.contains(&"user.create".to_string()) && actions.contains(&"login.ok".to_string()));
        assert!(s.upsert_user("bad name", "longenough", Role::Viewer, "system").await.is_err());
        assert!(s.upsert_user("bob", "short", Role::Viewer, "system").await.is_err());
        assert_eq!(s.users().await.unwrap().len(), 1);

        let live = s.login("ana", "correct horse battery", 60_000).await.unwrap().unwrap();
        s.set_user_disabled("ana", true, "admin").await.unwrap();
        assert!(s.session_user(&live.token).await.unwrap().is_none(), "disabling ends sessions");
        assert!(s.login("ana", "correct horse battery", 60_000).await.unwrap().is_none());
        s.set_user_disabled("ana", false, "admin").await.unwrap();
        assert!(s.login("ana", "correct horse battery", 60_000).await.unwrap().is_some());
        assert!(s.set_user_disabled("nobody", true, "admin").await.unwrap_err().is_not_found());
    }
}

#[tokio::test]
async fn a_password_reset_ends_sessions_and_never_re_enables() {
    for (s, _) in stores_with_site().await {
        s.upsert_user("ana", "correct horse battery", Role::Viewer, "system").await.unwrap();
        let live = s.login("ana", "correct horse battery", 60_000).await.unwrap().unwrap();
        let u = s.upsert_user("ana", "another long secret", Role::Viewer, "admin").await.unwrap();
        assert_eq!(u.role, Role::Viewer);
        assert!(s.session_user(&live.token).await.unwrap().is_none(), "{}: the old password's session ended", s.label);
        assert!(s.login("ana", "correct horse battery", 60_000).await.unwrap().is_none());
        assert!(s.login("ana", "another long secret", 60_000).await.unwrap().is_some());

        s.set_user_disabled("ana", true, "admin").await.unwrap();
        let u = s.upsert_user("ana", "a third long secret", Role::Analyst, "admin").await.unwrap();
        assert!(u.disabled, "{}: a reset does not re-enable", s.label);
        assert!(s.users().await.unwrap()[0].disabled);
        assert!(s.login("ana", "a third long secret", 60_000).await.unwrap().is_none(), "still disabled");
        s.set_user_disabled("ana", false, "admin").await.unwrap();
        assert_eq!(s.login("ana", "a third long secret", 60_000).await.unwrap().unwrap().user.role, Role::Analyst);

        let log = s.audit_log(100, 0).await.unwrap();
        let actions: Vec<(&str, &str)> = log
            .iter()
            .rev()
            .filter(|e| e.action.starts_with("user."))
            .map(|e| (e.actor.as_str(), e.action.as_str()))
            .collect();
        assert_eq!(
            actions,
            [
                ("system", "user.create"),
                ("admin", "user.password_reset"),
                ("admin", "user.disable"),
                ("admin", "user.password_reset"),
                ("admin", "user.role_change"),
                ("admin", "user.enable"),
            ],
            "{}",
            s.label
        );
        let change = log.iter().find(|e| e.action == "user.role_change").unwrap();
        assert_eq!(change.detail.as_deref(), Some("viewer → analyst"));
    }
}

#[tokio::test]
async fn passwords_are_long_and_not_common() {
    for (s, _) in stores_with_site().await {
        for bad in ["short pw", "elevenchars", "Password1234", "administrator", "aaaaaaaaaaaaaaa", "my name is ana!"] {
            let e = s.upsert_user("ana", bad, Role::Viewer, "system").await.unwrap_err();
            assert!(e.to_string().contains("password"), "{bad}: {e}");
        }
        assert!(s.users().await.unwrap().is_empty());
        s.upsert_user("ana", "twelve chars", Role::Viewer, "system").await.unwrap();
    }
}

#[tokio::test]
async fn sessions_end_after_a_while_without_use() {
    const IDLE: i64 = 30 * 60_000;
    for (s, _) in stores_with_site().await {
        s.upsert_user("ana", "correct horse battery", Role::Viewer, "system").await.unwrap();
        let sess = s.login("ana", "correct horse battery", 12 * 3_600_000).await.unwrap().unwrap();
        assert!(s.session_user_within(&sess.token, Some(IDLE)).await.unwrap().is_some(), "{}", s.label);
        // 20 minutes pass: still live, and the use renews it.
        let back = |ms: i64| sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1").bind(ms);
        back(20 * 60_000).execute(s.pool()).await.unwrap();
        assert!(s.session_user_within(&sess.token, Some(IDLE)).await.unwrap().is_some());
        back(20 * 60_000).execute(s.pool()).await.unwrap();
        assert!(s.session_user_within(&sess.token, Some(IDLE)).await.unwrap().is_some(), "renewed 20 minutes ago");
        // 31 minutes without a request: over.
        back(31 * 60_000).execute(s.pool()).await.unwrap();
        assert!(s.session_user_within(&sess.token, Some(IDLE)).await.unwrap().is_none(), "{}", s.label);
    }
}

#[tokio::test]
async fn the_ngo_role_is_stored_and_stands_apart_from_the_investigators_ladder() {
    for (s, _) in stores_with_site().await {
        let u = s.upsert_user("nora", "correct horse battery", Role::Ngo, "admin").await.unwrap();
        assert_eq!(u.role, Role::Ngo, "{}", s.label);
        let sess = s.login("nora", "correct horse battery", 60_000).await.unwrap().unwrap();
        assert_eq!(sess.user.role, Role::Ngo);
    }
    for r in [Role::Viewer, Role::Analyst, Role::Admin, Role::Ngo] {
        assert_eq!(Role::parse(r.as_str()), Some(r));
        assert!(Role::Admin.allows(r), "admin reaches {r:?}");
    }
    for investigator in [Role::Viewer, Role::Analyst] {
        assert!(!investigator.allows(Role::Ngo), "{investigator:?} does not read the NGO counters");
        assert!(!Role::Ngo.allows(investigator), "NGO staff see nothing of {investigator:?}'s pages");
    }
    assert!(!Role::Ngo.allows(Role::Admin) && !Role::Ngo.is_investigator());
    assert!(Role::Analyst.allows(Role::Viewer) && !Role::Viewer.allows(Role::Analyst));
}
