"""Demo content: desks, articles (the sample article among them) and accounts."""

from .testing.bodies import bullets, paragraph, table

# Demo only: load_demo refuses to run unless DEBUG is on. `group` is a role
# created by migration 0003_roles.
DEMO_ACCOUNTS = [
    {
        "username": "editor",
        "password": "newsroom-editor",
        "group": "Editors",
        "email": "editor@example.org",
        "role": "editor: writes, edits and submits articles for review",
    },
    {
        "username": "moderator",
        "password": "newsroom-moderator",
        "group": "Moderators",
        "email": "moderator@example.org",
        "role": "moderator: also approves, schedules, rejects and unpublishes",
    },
    {
        "username": "admin",
        "password": "newsroom-admin",
        "group": None,
        "email": "admin@example.org",
        "role": "administrator: everything, including desks and accounts",
    },
]

DESKS = [
    {"slug": "world", "name": "World", "position": 1},
    {"slug": "business", "name": "Business", "position": 2},
]


# The sample article (shared/samples/csto-talks.txt) as it should have been:
# three sections, both lists, both tables. The last cell of "Cybersecurity
# Cooperation" was lost in the source, so it stays empty; the sentence that
# announced a table which never arrived is left out.
CSTO_ARTICLE = {
    "desk": "world",
    "slug": "kazakh-president-joins-closed-csto-talks",
    "title": "Kazakhstan’s president joins closed-door CSTO security talks",
    "standfirst": "",
    "byline": "Newsroom staff",
    "source_credit": "Caspian Post",
    "publish": True,
    "sections": [
        {
            "heading": "",
            "blocks": [
                paragraph(
                    "In a significant development within regional security dynamics, the President "
                    "of Kazakhstan has joined closed-door discussions of the Collective Security "
                    "Treaty Organization (CSTO), according to reports from the Caspian Post. The "
                    "confidential talks, bringing together key member states, underscore ongoing "
                    "efforts to address emerging security challenges in the post-Soviet space. This "
                    "move highlights Kazakhstan’s active role in shaping the CSTO’s strategic agenda "
                    "amid evolving geopolitical tensions in Central Asia."
                )
            ],
        },
        {
            "heading": "Kazakh Leader’s Role in Strengthening CSTO Security Cooperation",
            "blocks": [
                paragraph(
                    "Kazakhstan’s President was a pivotal figure in the recent closed-door meetings "
                    "aimed at enhancing the Collective Security Treaty Organization’s (CSTO) "
                    "strategic response capabilities. His engagement highlighted Kazakhstan’s "
                    "commitment to regional stability through multilateral defense cooperation. "
                    "Emphasizing shared intelligence exchange, streamlined rapid reaction forces, "
                    "and technology-driven border control, the discussions laid groundwork for "
                    "next-generation security protocols among member states."
                ),
                paragraph(
                    "The delegation underscored several key initiatives, including:"
                ),
                bullets(
                    "<b>Enhanced Cybersecurity Measures:</b> Introducing joint monitoring systems "
                    "to counter hybrid threats.",
                    "<b>Improved Military Mobility:</b> Facilitating cross-border troop deployment "
                    "and logistical support.",
                    "<b>Coordinated Emergency Response:</b> Developing unified crisis management "
                    "exercises to better tackle unforeseen threats.",
                ),
                table(
                    "Proposed enhancements by security focus area",
                    ["Security Focus Area", "Proposed Enhancement", "Timeline"],
                    [
                        [
                            "Intelligence Sharing",
                            "Real-time data exchange platform",
                            "Q4 2024",
                        ],
                        [
                            "Rapid Response Teams",
                            "Joint training exercises",
                            "Early 2025",
                        ],
                        [
                            "Cyber Defense",
                            "Integrated threat detection systems",
                            "Mid 2025",
                        ],
                    ],
                ),
            ],
        },
        {
            "heading": "Implications of Closed CSTO Talks for Regional Stability and Defense "
            "Strategies",
            "blocks": [
                paragraph(
                    "The recent closed-door CSTO deliberations signal a pivotal moment for the "
                    "alliance amid growing geopolitical tensions in the region. With the Kazakh "
                    "leader actively participating, strategic priorities appear to be shifting, "
                    "focusing intently on reinforcing collective defense frameworks and responding "
                    "to emergent security threats. Observers note an increased emphasis on joint "
                    "intelligence sharing and coordinated military readiness, which aim to fortify "
                    "the alliance against both conventional and asymmetric challenges. This pivot "
                    "underscores a recognition that regional threats are increasingly complex, "
                    "necessitating unified and adaptable defense postures."
                ),
                paragraph("Key focus areas emerging from the talks include:"),
                bullets(
                    "Enhanced rapid deployment capabilities for peacekeeping and crisis response",
                    "Strengthened border control mechanisms to prevent infiltration and smuggling",
                    "Expanded cyber defense cooperation to counter hybrid warfare tactics",
                ),
                table(
                    "Alliance cooperation before and after the talks",
                    ["Aspect", "Current Status", "Post-Talk Outlook"],
                    [
                        [
                            "Joint Military Exercises",
                            "Quarterly, limited scope",
                            "Increased frequency and scale",
                        ],
                        [
                            "Intelligence Sharing",
                            "Ad hoc and informal",
                            "Structured, real-time exchange",
                        ],
                        ["Cybersecurity Cooperation", "Minimal coordination", ""],
                    ],
                ),
            ],
        },
        {
            "heading": "Recommendations for Enhancing Transparency and Dialogue within the CSTO "
            "Framework",
            "blocks": [
                paragraph(
                    "Enhancing transparency within the Collective Security Treaty Organization is "
                    "critical in fostering trust among member states and the broader international "
                    "community. To this end, regular public briefings and press releases following "
                    "CSTO meetings could serve to clarify the Alliance’s intentions and strategic "
                    "objectives. Additionally, creating a centralized digital platform where member "
                    "nations can share updates, policy shifts, and cooperative initiatives would "
                    "further strengthen communication channels. This approach not only demystifies "
                    "decision-making processes but also encourages external stakeholders to engage "
                    "constructively with the CSTO framework."
                ),
                paragraph(
                    "Equally important is the improvement of dialogue mechanisms. Instituting more "
                    "frequent inter-parliamentary consultations, as well as expert-level workshops "
                    "on security and defense topics, would facilitate deeper understanding and "
                    "align common goals. Furthermore, incorporating diverse voices within CSTO "
                    "discussions – including civil society representatives and independent "
                    "analysts – can help identify emerging challenges before they escalate."
                ),
            ],
        },
    ],
}

DEMO_ARTICLES = [
    CSTO_ARTICLE,
    {
        "desk": "world",
        "slug": "caspian-ports-busier-autumn",
        "title": "Caspian ports report a busier autumn (demo)",
        "standfirst": "Cargo through the three largest ports rose on last year. "
        "Demo article: the figures are illustrative.",
        "byline": "Demo desk",
        "source_credit": "",
        "publish": True,
        "sections": [
            {
                "heading": "",
                "blocks": [
                    paragraph(
                        "Port operators around the Caspian Sea handled more cargo this autumn than a "
                        "year earlier, helped by new ferry links. <i>All figures in this demo article "
                        "are made up.</i>"
                    )
                ],
            },
            {
                "heading": "Cargo by port",
                "blocks": [
                    table(
                        "Cargo handled, September to November",
                        [
                            "Port",
                            {
                                "label": "Cargo",
                                "kind": "number",
                                "unit": "million t",
                                "decimals": 1,
                            },
                            {"label": "Change", "kind": "percent", "decimals": 1},
                        ],
                        [
                            ["Aktau", "2.4", "6.2"],
                            ["Baku", "3.1", "4.0"],
                            ["Turkmenbashi", "1.2", "-1.5"],
                        ],
                        source_note="Port operators (illustrative demo figures)",
                        # Shown as a bar chart too: categories from "Port",
                        # bars from "Cargo".
                        chart="bar",
                        chart_category=0,
                        chart_series=[1],
                    )
                ],
            },
        ],
    },
    {
        "desk": "business",
        "slug": "what-changes-for-energy-bills-this-winter",
        "title": "What changes for energy bills this winter (demo)",
        "standfirst": "Three things households should know. Demo article.",
        "byline": "Demo desk",
        "source_credit": "",
        "publish": True,
        "sections": [
            {
                "heading": "",
                "blocks": [
                    paragraph("Regulators confirmed the winter tariffs on Monday."),
                    bullets(
                        "Standing charges stay the same.",
                        "Unit prices rise slightly for gas.",
                        "Fixed deals remain available.",
                        ordered=True,
                    ),
                ],
            },
        ],
    },
    {
        "desk": "business",
        "slug": "draft-quarterly-trade-figures",
        "title": "Quarterly trade figures (draft, not published)",
        "standfirst": "A draft: readers get a 404 until it is published.",
        "byline": "Demo desk",
        "source_credit": "",
        "publish": False,
        "sections": [{"heading": "", "blocks": [paragraph("Figures to follow.")]}],
    },
]
