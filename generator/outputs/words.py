"""The catalogue of the site's own words, English and Japanese, as data: one key, one text.

Each language has every key (a test checks); the texts may hold `{placeholders}`, which the
functions of `i18n` fill in. A site replaces any of them with `candor: labels:` in
mkdocs.yml. Japanese follows one punctuation style: full-width brackets, colons and commas
(（）「」：、), 〜 for ranges."""

from __future__ import annotations

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_EN_LONG = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

EN: dict[str, str] = {
    # incident statuses
    "status.investigating": "Investigating",
    "status.identified": "Identified",
    "status.monitoring": "Monitoring",
    "status.resolved": "Resolved",
    # maintenance statuses
    "status.scheduled": "Scheduled",
    "status.in_progress": "In progress",
    "status.verifying": "Verifying",
    "status.completed": "Completed",
    # impacts
    "impact.none": "No impact",
    "impact.minor": "Minor",
    "impact.major": "Major",
    "impact.critical": "Critical",
    "impact.maintenance": "Maintenance",
    "impact.set": "Impact: {impact}",
    # component statuses
    "component.operational": "Operational",
    "component.under_maintenance": "Under maintenance",
    "component.degraded_performance": "Degraded performance",
    "component.partial_outage": "Partial outage",
    "component.major_outage": "Major outage",
    # overall indicator
    "indicator.none": "All Systems Operational",
    "indicator.minor": "Minor Service Outage",
    "indicator.major": "Partial System Outage",
    "indicator.critical": "Major System Outage",
    "indicator.maintenance": "Service Under Maintenance",
    # action items
    "action.planned": "Planned",
    "action.in_progress": "In progress",
    "action.done": "Done",
    "action.count": "{done} of {total} done",
    "action.due": "due {date}",
    "action.owner": "owner: {owner}",
    # headings and labels
    "home.title": "Current status",
    "home.components": "Components",
    "home.open": "Open incidents",
    "home.maintenance.active": "Maintenance in progress",
    "home.maintenance.upcoming": "Upcoming maintenance",
    "home.uptime": "Uptime over the last {days} days",
    "home.recent": "Past {days} days",
    "home.recent.none": "No incidents or maintenance in this period.",
    "home.all_history": "All incidents and maintenance",
    "home.subscribe": "Get updates",
    "home.updated": "Status unchanged since {time}",
    "record.title": "How we communicate",
    "record.period": "Incidents that began in the last {days} days.",
    "record.none": "No incidents in the last {days} days.",
    "record.incidents": "Incidents",
    "record.first_update": "Median time to the first public update",
    "record.promises": "Promised updates posted on time",
    "record.promises.value": "{kept} of {total} ({percent})",
    "record.promises.none": "No update promised a next one",
    "record.postmortem": "Median time from resolution to postmortem",
    "record.postmortem.none": "No postmortem published",
    "subscribe.rss": "RSS feed",
    "subscribe.atom": "Atom feed",
    "subscribe.api": "JSON API",
    "subscribe.ics": "Maintenance calendar",
    "latest": "Latest update",
    "posted": "Posted {time}",
    "time.local": " · your time: {time}",
    "next_update": "Next update due by {time}",
    "next_update.overdue": "Next update was due by {time}; it is late",
    "by": "by {name}",
    "impact": "Impact",
    "status": "Status",
    "affected": "Affected components",
    "affected.none": "None",
    "started": "Started",
    "first_update": "First public update",
    "time_to_first_update": "after {duration}",
    "resolved": "Resolved",
    "completed": "Completed",
    "duration": "Duration",
    "ongoing": "Ongoing",
    "window": "Maintenance window",
    "updates": "Updates",
    "update.n": "Update {n}",
    "postmortem": "Postmortem",
    "postmortem.link": "Read the postmortem",
    "postmortem.preliminary_link": "Read the preliminary review",
    "postmortem.due": "A postmortem is due by {time}.",
    "postmortem.overdue": "A postmortem was due by {time} and has not been published yet.",
    "postmortem.scheduled": "The postmortem will be published on {time}.",
    "postmortem.title": "Postmortem: {title}",
    "postmortem.published": "Published",
    "postmortem.time_to_report": "Time from resolution to report",
    "postmortem.before_resolution": "{duration} before resolution",
    "postmortem.preliminary": (
        "This is a preliminary review, published before the incident was resolved. "
        "Some details may change."
    ),
    "postmortem.preliminary_open": (
        "This is a preliminary review: the incident is still open. Some details may change."
    ),
    "postmortem.incident": "Incident page with every update",
    "postmortem.timeline": "Timeline",
    "section.apology": "Apology",
    "section.what_happened": "What happened",
    "section.why": "Why it happened",
    "section.what_we_did": "What we did",
    "section.impact": "Impact",
    "section.prevention": "Prevention",
    "section.compensation": "Compensation",
    "feed.title": "{site} — history",
    "feed.preliminary": "Preliminary review",
    "calendar.title": "{site} — maintenance",
    "history.title": "History",
    "history.none": "No incidents or maintenance yet.",
    "history.earlier": "Earlier years",
    "history.year": "History {year}",
    "component.title": "{name}",
    "component.incidents": "Incidents and maintenance",
    "component.uptime": "{percent} uptime",
    "component.uptime_long": "{percent} uptime over the last {days} days",
    "uptime.day": "{date}: {status}, {percent} uptime",
    "uptime.day_events": "{date}: {status}, {percent} uptime, {count} event(s)",
    "uptime.start": "{days} days ago",
    "uptime.end": "Today",
    "maintenance": "Maintenance",
    "incident": "Incident",
    "back.home": "Current status",
    "back.history": "History",
    "back.incident": "Back to the incident",
    # candor notify
    "notify.reminder": "Maintenance starts in {lead}",
    "notify.started": "Maintenance started",
    "notify.completed": "Maintenance completed",
    "notify.window": "Window: {start} – {end}",
    "notify.read": "Read update {n} on the status page",
    "notify.open": "Open the status page",
    "notify.posted": "Posted",
    "notify.started_body": (
        "The maintenance window opened at {start}. It is planned to end by {end}."
    ),
    "notify.completed_body": "The maintenance window closed at {end}.",
    # the live-update notice on pages of open incidents
    "live.behind": "New update",
    "live.reload": "Reload",
    # subscribe page
    "subscribe.title": "Subscribe to updates",
    "subscribe.link": "Subscribe",
    "subscribe.lead": (
        "Follow this page where you already are. Every update arrives once, with a link to "
        "the full timeline."
    ),
    "subscribe.feeds": "Feeds",
    "subscribe.feeds.intro": (
        "Paste a feed address into any feed reader. The site feed has every update of every "
        "incident and maintenance; a component's feed only what affects that component."
    ),
    "subscribe.site_feed": "Every update",
    "subscribe.component_feeds": "One component",
    "subscribe.incident_feed": "One incident",
    "subscribe.incident_feed.intro": (
        "Each incident page links its own feed, for following one incident until it is resolved."
    ),
    "subscribe.calendar": "Calendar",
    "subscribe.calendar.intro": (
        "Subscribe to the maintenance calendar in your calendar app (add a calendar by URL): "
        "windows move and update in place."
    ),
    "subscribe.chat": "Slack and Microsoft Teams",
    "subscribe.slack": ("Slack: add the RSS app to your workspace, then type this in a channel:"),
    "subscribe.teams": (
        "Microsoft Teams: in Workflows, pick the template that posts new RSS feed items to a "
        "channel, and give it the site feed's address."
    ),
    "subscribe.email": "E-mail",
    "subscribe.email.signup": "Sign up for e-mail updates",
    "subscribe.email.howto": (
        "Many feed readers and feed-to-e-mail services send new feed items by e-mail: give them "
        "the site feed's address."
    ),
    "subscribe.mastodon": "Mastodon",
    "subscribe.mastodon.follow": "Follow the status account",
    "subscribe.api.title": "API",
    "subscribe.api.intro": (
        "A Statuspage-compatible JSON API: dashboards, bots and monitoring written for "
        "Statuspage work unchanged."
    ),
    "subscribe.api.summary": "Everything at once",
    "subscribe.api.status": "The overall status only",
    "subscribe.follow_incident": "Follow this incident (Atom feed)",
    "none": "None",
    # page layout: header, footer, punctuation
    "header.skip": "Skip to content",
    "notfound.title": "Page not found",
    "footer.pages": "Pages",
    "footer.follow": "Follow",
    "footer.built": "Status last changed {time}.",
    "preview.banner": "Preview of a pull request: not the live status page.",
    "facts": "Key facts",
    "uptime.bar": (
        "{name}: {percent} uptime over the last {days} days; "
        "{count} of {days} days not fully operational"
    ),
    "uptime.detail": "Days not fully operational: {count}",
    "uptime.detail.events": "Incidents and maintenance",
    "pair": "{label}: {value}",
    "aside": " ({text})",
    "list": ", ",
    "sep": " · ",
    "range": "{start} – {end}",
}

JA: dict[str, str] = {
    "status.investigating": "調査中",
    "status.identified": "原因特定",
    "status.monitoring": "経過観察中",
    "status.resolved": "解決済み",
    "status.scheduled": "予定",
    "status.in_progress": "実施中",
    "status.verifying": "確認中",
    "status.completed": "完了",
    "impact.none": "影響なし",
    "impact.minor": "軽微",
    "impact.major": "重大",
    "impact.critical": "深刻",
    "impact.maintenance": "メンテナンス",
    "impact.set": "影響度：{impact}",
    "component.operational": "正常",
    "component.under_maintenance": "メンテナンス中",
    "component.degraded_performance": "パフォーマンス低下",
    "component.partial_outage": "部分的な障害",
    "component.major_outage": "重大な障害",
    "indicator.none": "すべてのシステムが正常に稼働しています",
    "indicator.minor": "一部のサービスに軽微な障害が発生しています",
    "indicator.major": "システムの一部で障害が発生しています",
    "indicator.critical": "システムで重大な障害が発生しています",
    "indicator.maintenance": "メンテナンスを実施中です",
    "action.planned": "予定",
    "action.in_progress": "対応中",
    "action.done": "完了",
    "action.count": "{total}件中{done}件完了",
    "action.due": "期限：{date}",
    "action.owner": "担当：{owner}",
    "home.title": "現在の状況",
    "home.components": "コンポーネント",
    "home.open": "対応中の障害",
    "home.maintenance.active": "実施中のメンテナンス",
    "home.maintenance.upcoming": "予定されているメンテナンス",
    "home.uptime": "過去{days}日間の稼働率",
    "home.recent": "過去{days}日間",
    "home.recent.none": "この期間に障害やメンテナンスはありません。",
    "home.all_history": "すべての障害とメンテナンス",
    "home.subscribe": "更新情報を受け取る",
    "home.updated": "{time}から状況に変化はありません",
    "record.title": "情報発信の実績",
    "record.period": "過去{days}日間に発生した障害が対象です。",
    "record.none": "過去{days}日間に障害はありません。",
    "record.incidents": "障害の件数",
    "record.first_update": "最初の公表までの時間（中央値）",
    "record.promises": "予告した時刻までに掲載した続報",
    "record.promises.value": "{total}件中{kept}件（{percent}）",
    "record.promises.none": "続報の時刻を予告した更新はありません",
    "record.postmortem": "解決から事後報告書の公開までの時間（中央値）",
    "record.postmortem.none": "公開した事後報告書はありません",
    "subscribe.rss": "RSSフィード",
    "subscribe.atom": "Atomフィード",
    "subscribe.api": "JSON API",
    "subscribe.ics": "メンテナンスカレンダー",
    "latest": "最新の情報",
    "posted": "{time}掲載",
    "time.local": "／現地時刻：{time}",
    "next_update": "次回の更新予定：{time}まで",
    "next_update.overdue": "次回の更新は{time}までの予定でしたが、遅れています",
    "by": "投稿者：{name}",
    "impact": "影響度",
    "status": "状況",
    "affected": "影響を受けたコンポーネント",
    "affected.none": "なし",
    "started": "発生",
    "first_update": "最初の公表",
    "time_to_first_update": "発生から{duration}後",
    "resolved": "解決",
    "completed": "完了",
    "duration": "継続時間",
    "ongoing": "継続中",
    "window": "メンテナンス時間",
    "updates": "更新履歴",
    "update.n": "更新{n}",
    "postmortem": "事後報告書",
    "postmortem.link": "事後報告書を読む",
    "postmortem.preliminary_link": "暫定報告書を読む",
    "postmortem.due": "事後報告書は{time}までに公開予定です。",
    "postmortem.overdue": "事後報告書は{time}までに公開する予定でしたが、まだ公開されていません。",
    "postmortem.scheduled": "事後報告書は{time}に公開されます。",
    "postmortem.title": "事後報告書：{title}",
    "postmortem.published": "公開",
    "postmortem.time_to_report": "解決から報告までの時間",
    "postmortem.before_resolution": "解決の{duration}前",
    "postmortem.preliminary": (
        "これは障害の解決前に公開した暫定報告書です。内容は変更される可能性があります。"
    ),
    "postmortem.preliminary_open": (
        "これは暫定報告書です。障害は現在も対応中で、内容は変更される可能性があります。"
    ),
    "postmortem.incident": "すべての更新を含む障害ページ",
    "postmortem.timeline": "経緯",
    "section.apology": "お詫び",
    "section.what_happened": "何が起きたか",
    "section.why": "原因",
    "section.what_we_did": "対応",
    "section.impact": "影響",
    "section.prevention": "再発防止策",
    "section.compensation": "補償",
    "feed.title": "{site} — 履歴",
    "feed.preliminary": "暫定報告書",
    "calendar.title": "{site} — メンテナンス",
    "history.title": "履歴",
    "history.none": "障害やメンテナンスはまだありません。",
    "history.earlier": "過去の年",
    "history.year": "{year}年の履歴",
    "component.title": "{name}",
    "component.incidents": "障害とメンテナンス",
    "component.uptime": "稼働率{percent}",
    "component.uptime_long": "過去{days}日間の稼働率{percent}",
    "uptime.day": "{date}：{status}、稼働率{percent}",
    "uptime.day_events": "{date}：{status}、稼働率{percent}、{count}件",
    "uptime.start": "{days}日前",
    "uptime.end": "今日",
    "maintenance": "メンテナンス",
    "incident": "障害",
    "back.home": "現在の状況",
    "back.history": "履歴",
    "back.incident": "障害ページに戻る",
    "notify.reminder": "メンテナンス開始まで{lead}",
    "notify.started": "メンテナンスを開始しました",
    "notify.completed": "メンテナンスが完了しました",
    "notify.window": "実施時間：{start}〜{end}",
    "notify.read": "ステータスページで更新{n}を読む",
    "notify.open": "ステータスページを開く",
    "notify.posted": "掲載",
    "notify.started_body": "メンテナンスを{start}に開始しました。{end}までに終了する予定です。",
    "notify.completed_body": "メンテナンスは{end}に終了しました。",
    "live.behind": "新しい更新があります",
    "live.reload": "再読み込み",
    "subscribe.title": "更新情報を受け取る",
    "subscribe.link": "購読",
    "subscribe.lead": (
        "普段お使いのツールでこのページをフォローできます。各更新は一度だけ、経緯全体へのリンク付きで届きます。"
    ),
    "subscribe.feeds": "フィード",
    "subscribe.feeds.intro": (
        "フィードのアドレスをフィードリーダーに貼り付けてください。サイトのフィードにはすべての障害とメンテナンスの"
        "更新が、コンポーネントのフィードにはそのコンポーネントに関わるものだけが含まれます。"
    ),
    "subscribe.site_feed": "すべての更新",
    "subscribe.component_feeds": "コンポーネントごと",
    "subscribe.incident_feed": "障害ごと",
    "subscribe.incident_feed.intro": (
        "各障害ページには専用のフィードがあり、解決までひとつの障害を追うことができます。"
    ),
    "subscribe.calendar": "カレンダー",
    "subscribe.calendar.intro": (
        "カレンダーアプリでURLからメンテナンスカレンダーを追加してください。"
        "日時の変更はそのまま反映されます。"
    ),
    "subscribe.chat": "SlackとMicrosoft Teams",
    "subscribe.slack": (
        "Slack：ワークスペースにRSSアプリを追加し、チャンネルで次のように入力します："
    ),
    "subscribe.teams": (
        "Microsoft Teams：ワークフローでRSSフィードの新しい項目を"
        "チャンネルに投稿するテンプレートを選び、サイトのフィードのアドレスを指定します。"
    ),
    "subscribe.email": "メール",
    "subscribe.email.signup": "メールで更新情報を受け取る",
    "subscribe.email.howto": (
        "多くのフィードリーダーやフィード配信サービスは、新しい項目をメールで届けます。"
        "サイトのフィードのアドレスを指定してください。"
    ),
    "subscribe.mastodon": "Mastodon",
    "subscribe.mastodon.follow": "ステータスアカウントをフォロー",
    "subscribe.api.title": "API",
    "subscribe.api.intro": (
        "Statuspage互換のJSON APIです。"
        "Statuspage向けのダッシュボードやボット、監視ツールがそのまま使えます。"
    ),
    "subscribe.api.summary": "すべての情報",
    "subscribe.api.status": "全体の状況のみ",
    "subscribe.follow_incident": "この障害をフォロー（Atomフィード）",
    "none": "なし",
    "header.skip": "本文へ移動",
    "notfound.title": "ページが見つかりません",
    "footer.pages": "ページ",
    "footer.follow": "購読",
    "footer.built": "状況の最終変更：{time}",
    "preview.banner": "プルリクエストのプレビューです。公開中のステータスページではありません。",
    "facts": "概要",
    "uptime.bar": (
        "{name}：過去{days}日間の稼働率{percent}、{days}日中{count}日は障害またはメンテナンスあり"
    ),
    "uptime.detail": "障害またはメンテナンスのあった日：{count}日",
    "uptime.detail.events": "障害とメンテナンス",
    "pair": "{label}：{value}",
    "aside": "（{text}）",
    "list": "、",
    "sep": "／",
    "range": "{start}〜{end}",
}

CATALOGS = {"en": EN, "ja": JA}
