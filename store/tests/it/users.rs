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
        assert!(actions.contains(&"user.upsert".to_string()) && actions.contains(&"login.ok".to_string()));
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
