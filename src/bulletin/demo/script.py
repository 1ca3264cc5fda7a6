"""The story the demo blog tells: one invented night of storm coverage.

`make run` needs a live blog that looks and reads like the real thing, with every block kind
and post flag in use, so the features can be seen at work. Real news text cannot be reused, so
this night is made up from start to finish: Storm Halvard, the port town of Kettleby and every
person, organisation, account and link in it are fictional. Photos are painted by
`bulletin.demo.photos` and served from /media/demo/.
"""

from __future__ import annotations

MEDIA = "/media/demo/"


def _post(headline: str | None, *blocks: dict[str, str], key_event: bool = False,
          pin: bool = False) -> dict[str, object]:
    return {"headline": headline, "blocks": list(blocks), "key_event": key_event, "pin": pin}


def _text(html: str) -> dict[str, str]:
    return {"kind": "text", "html": html}


def _quote(text: str, speaker: str, context: str) -> dict[str, str]:
    return {"kind": "quote", "text": text, "speaker": speaker, "context": context}


def _image(name: str, caption: str, credit: str, alt: str) -> dict[str, str]:
    return {"kind": "image", "url": MEDIA + name, "caption": caption, "credit": credit,
            "alt": alt}


def _embed(url: str) -> dict[str, str]:
    return {"kind": "embed", "url": url}


def _link(url: str, title: str, description: str) -> dict[str, str]:
    return {"kind": "link", "url": url, "title": title, "description": description}


DEMO_BLOG: dict[str, str] = {
    "slug": "storm-halvard",
    "title": "Storm Halvard live: gales and flooding hit Kettleby",
    "description": (
        "Storm Halvard has swept ashore at Kettleby, bringing gusts of more than 100mph, a "
        "surge over the harbour defences and power cuts along the Wendmoor coast. Hundreds of "
        "people left their homes on Quay Street and in Low Town, a trawler crew was rescued off "
        "Gull Rock and a rest centre is open at Kettleby Academy. Follow our reporters through "
        "the night. (Kettleby and Storm Halvard are invented: this is Bulletin's demo blog.)"
    ),
    "language": "en",
    "timezone": "Europe/London",
}

DEMO_POSTS: list[dict[str, object]] = [
    _post(
        "Good evening",
        _text(
            "<p>Good evening. Storm Halvard is heading for the Wendmoor coast and is expected to "
            "make landfall close to Kettleby around midnight. The National Forecast Centre has "
            "issued a <strong>red warning for wind</strong>, its highest level, from 21:00 "
            "tonight until 06:00 on Sunday.</p>"
            "<p>Our reporters are at the harbour, on the seafront and at the council's "
            "emergency centre. We'll bring you updates through the night.</p>"
        ),
        _link(
            "https://example.org/weather/what-a-red-warning-means",
            "What a red weather warning means, and what to do",
            "Red is used only when there is a danger to life. Our explainer on staying safe "
            "before, during and after the storm.",
        ),
    ),
    _post(
        "'A dangerous night'",
        _quote(
            "This is a dangerous storm. Gusts of 90 to 100mph are likely on exposed coasts, and "
            "with a high spring tide at 00:40 we expect large waves and overtopping along the "
            "Kettleby seafront. Please stay indoors and away from the shore.",
            "Dr Ilse Varga",
            "Chief forecaster, National Forecast Centre, speaking at 19:30",
        ),
        _text(
            "<p>Halvard deepened quickly over the sea this afternoon. The centre's latest "
            "bulletin puts its central pressure at 948 millibars.</p>"
        ),
    ),
    _post(
        "Quick recap: what we know so far",
        _text(
            "<ul>"
            "<li>A <strong>red warning for wind</strong> is in force from 21:00 on Saturday to "
            "06:00 on Sunday, with an amber warning for the rest of the Wendmoor coast.</li>"
            "<li>About 300 homes on Quay Street, Net Lane and the Low Town estate have been told "
            "to leave before high tide at 00:40.</li>"
            "<li>A rest centre is open at Kettleby Academy on Ferry Road.</li>"
            "<li>The Kettleby Causeway and the swing bridge are closed, and there are no trains "
            "between Kettleby and Brindle.</li>"
            "<li>Landfall is expected near Kettleby Point around midnight.</li>"
            "</ul>"
            "<p>If a life is at risk, call 999. Full advice is on the "
            '<a href="https://example.com/kettleby-council/storm-advice">'
            "council's website</a>.</p>"
        ),
        _link(
            "https://example.com/kettleby-council/storm-advice",
            "Kettleby Borough Council: storm advice and rest centres",
            "Evacuation areas, what to bring to a rest centre, and how to report damage.",
        ),
        pin=True,
    ),
    _post(
        None,
        _image(
            "halvard-sky-over-kettleby.jpg",
            "Storm clouds gather over Kettleby's inner harbour shortly after sunset on Saturday.",
            "Photo: Hana Kowalczyk / Courier",
            "Dark storm clouds over a harbour town at dusk, with fishing boats moored in the "
            "foreground and lit windows along the waterfront.",
        ),
        _text(
            "<p>The sky over the inner harbour at dusk, as the last of the fishing fleet was "
            "tied up. Harbour staff spent the afternoon doubling mooring lines.</p>"
        ),
    ),
    _post(
        "Evacuation ordered for Quay Street and Low Town",
        _text(
            "<p>Kettleby Borough Council has told residents of about 300 homes on Quay Street, "
            "Net Lane and the Low Town estate to leave before 23:00. Council staff and police "
            "are going door to door.</p>"
            "<p>People who cannot stay with friends or family can go to the rest centre at "
            "Kettleby Academy on Ferry Road. Pets are welcome.</p>"
        ),
        _embed("https://x.com/KettlebyCouncil/status/1859012345678901234"),
        key_event=True,
    ),
    _post(
        "Rest centre opens",
        _image(
            "rest-centre-sports-hall.jpg",
            "Camp beds laid out in the sports hall at Kettleby Academy, which the council has "
            "opened as a rest centre.",
            "Photo: Sam Whitlock / Courier",
            "Rows of camp beds with folded blankets in a brightly lit school sports hall.",
        ),
        _text(
            "<p>Volunteers are setting up camp beds at Kettleby Academy. The Wendmoor Volunteer "
            "Network says there is room for 400 people, and hot food will be served until "
            "late.</p>"
        ),
    ),
    _post(
        None,
        _quote(
            "Every vessel that could come in has come in. The harbour is closed to all traffic "
            "until further notice, and I'd ask people please not to come down to the quays to "
            "watch. The walls will be overtopped tonight.",
            "Gideon Marsh",
            "Harbour master, Kettleby Harbour Authority",
        ),
    ),
    _post(
        "Watch: waves already breaking over the north wall",
        _embed("https://www.youtube.com/watch?v=q8Zt3LmVx0w"),
        _text(
            "<p>Two hours before high tide, waves were already breaking over the north harbour "
            "wall. The Kettleby Coastguard Rescue Team filmed this from the old lifeboat "
            "slipway.</p>"
        ),
    ),
    _post(
        None,
        _image(
            "harbour-wall-waves.jpg",
            "A wave bursts over the north harbour wall at 21:20. The walkway has been closed "
            "since Friday.",
            "Photo: Leo Marchetti / Courier",
            "Spray from a large wave bursting over a long stone harbour wall in heavy rain, with "
            "grey sea to the left.",
        ),
    ),
    _post(
        "Causeway and swing bridge closed",
        _text(
            "<p>Police have closed the Kettleby Causeway in both directions, and the swing "
            "bridge over the River Kettle has been locked shut. That cuts the road link between "
            "the old town and the north bank until the wind drops.</p>"
            "<p>Coastline Rail has cancelled the rest of tonight's trains between Kettleby and "
            "Brindle. Replacement buses are not running because of the conditions.</p>"
        ),
        _link(
            "https://example.com/travel/storm-halvard-roads-and-rail",
            "Storm Halvard: every road and rail closure",
            "Our travel team's list of closures across the Wendmoor coast, updated through the "
            "night.",
        ),
    ),
    _post(
        "Sandbags in Market Square",
        _image(
            "sandbags-market-square.jpg",
            "Sandbags stacked against shop doors in Market Square on Saturday evening.",
            "Photo: Hana Kowalczyk / Courier",
            "Three shopfronts, a bakery, a chandlery and a newsagent, with walls of sandbags "
            "piled against their doors on a wet pavement.",
        ),
        _text(
            "<p>Shopkeepers and neighbours in Market Square have been filling sandbags since "
            "lunchtime. Alun Pryce, who runs the chandlery, told us the water reached his "
            "counter in the last big surge and he is <em>not taking any chances</em>.</p>"
        ),
    ),
    _post(
        None,
        _embed("https://mastodon.social/@kettlebycoastguard/113456789012345678"),
        _text(
            "<p>The coastguard is again urging people to stay away from the seafront. Officers "
            "say they have had to move on several groups filming the waves on the "
            "promenade.</p>"
        ),
    ),
    _post(
        "'You just have to hope'",
        _quote(
            "I've lived on Quay Street for 41 years and I've never been told to leave before. "
            "I've put the photographs upstairs and the cat's in her basket. You just have to "
            "hope.",
            "Joan Fairweather",
            "Owner of the Anchor Café on Quay Street, speaking at the rest centre",
        ),
    ),
    _post(
        "First power cuts",
        _text(
            "<p>Wendmoor Power Networks says about 4,000 homes are without electricity, mostly "
            "in Holt Sands and along the coast road north of Kettleby. Engineers cannot climb "
            "poles while gusts are this strong, so some customers may be off until "
            "morning.</p>"
        ),
        _link(
            "https://example.com/wendmoor-power/outages",
            "Check for power cuts by postcode",
            "Wendmoor Power Networks' live map of outages and estimated restoration times.",
        ),
    ),
    _post(
        "Where is the storm now?",
        _image(
            "storm-track-map.jpg",
            "Storm Halvard's observed track and forecast path as of 21:00, based on National "
            "Forecast Centre data.",
            "Graphic: Courier data desk",
            "Map of Storm Halvard's track from the south-west, with the centre offshore and a "
            "forecast path crossing the coast at Kettleby around midnight.",
        ),
        _text(
            "<p>The National Forecast Centre's latest track puts the centre of Halvard about 40 "
            "miles west of Kettleby, moving north-east at 35mph. Landfall is expected near "
            "Kettleby Point around midnight, about 40 minutes before high tide.</p>"
        ),
    ),
    _post(
        "112mph gust at Kettleby Point",
        _text(
            "<p>The weather station at Kettleby Point lighthouse has recorded a gust of "
            "112mph, the strongest on the Wendmoor coast since records began there in "
            "1971.</p>"
        ),
        _image(
            "kettleby-lighthouse.jpg",
            "The lighthouse at Kettleby Point, where the station recorded the night's strongest "
            "gust.",
            "Photo: Leo Marchetti / Courier",
            "A red and white striped lighthouse on a rocky headland at night, its beam cutting "
            "through the rain as spray rises from the foot of the cliffs.",
        ),
    ),
    _post(
        "Storm Halvard makes landfall",
        _text(
            "<p>The National Forecast Centre says the centre of Storm Halvard crossed the coast "
            "at Kettleby Point at 23:52.</p>"
            "<p>The strongest winds often come in the hours just after landfall, on the "
            "southern side of the storm, which tonight means Kettleby and Holt Sands.</p>"
        ),
        _quote(
            "Halvard is now over land and will start to weaken, but not quickly. The next three "
            "hours are the most dangerous of the night.",
            "Dr Ilse Varga",
            "National Forecast Centre, at 23:58",
        ),
        key_event=True,
    ),
    _post(
        "Unconfirmed: reports of roof damage at the fish market",
        _text(
            "<p>We're hearing <strong>unconfirmed reports</strong> that part of the roof of the "
            "fish market on the East Quay has come down. Several people living nearby have "
            "contacted us to say they heard a loud crash shortly after midnight.</p>"
            "<p>We have asked the council and the fire service and will update as soon as we "
            "can confirm anything.</p>"
        ),
    ),
    _post(
        "Lifeboat launched to trawler off Gull Rock",
        _text(
            "<p>Kettleby Inshore Rescue has launched its all-weather lifeboat to a fishing "
            "vessel that has lost engine power about two miles off Gull Rock, with three crew "
            "on board.</p>"
            "<p>The coastguard says the trawler, the <em>Maris Jenny</em>, has her anchor down "
            "but is being driven towards the rocks.</p>"
        ),
        _image(
            "lifeboat-launch.jpg",
            "The Kettleby lifeboat heads out past the harbour mouth at 00:20.",
            "Photo: Kettleby Inshore Rescue",
            "An orange and navy lifeboat pushing through rough grey sea in heavy rain, throwing "
            "up spray.",
        ),
    ),
    _post(
        None,
        _embed("https://bsky.app/profile/kettleby-council.bsky.social/post/3lbxq2kz7ms2a"),
        _text(
            "<p>The council has updated its flood warning for the harbour area. Its advice: do "
            "not walk or drive through flood water. Thirty centimetres of moving water is "
            "enough to float a car.</p>"
        ),
    ),
    _post(
        "Sea defences overtopped, major incident declared",
        _text(
            "<p>Sea water has poured over the defences along Quay Street and Net Lane at high "
            "tide. Wendmoor Police have declared a <strong>major incident</strong>, which lets "
            "the emergency services and the council pool resources and call in help from "
            "neighbouring areas.</p>"
        ),
        _image(
            "flooded-quay-street.jpg",
            "Flood water on Quay Street at about 00:45, with the tide at its highest.",
            "Photo: Sam Whitlock / Courier",
            "A street of painted terraced houses standing in deep flood water, with street "
            "lamps and windows reflected on the surface.",
        ),
        key_event=True,
    ),
    _post(
        "Correction",
        _text(
            "<p><strong>Correction:</strong> earlier tonight we reported that the weather "
            "station at Kettleby Point recorded a gust of 112mph. The National Forecast Centre "
            "has since confirmed that the highest gust was <strong>102mph</strong>; the "
            "higher figure came from a preliminary reading that has been withdrawn. 102mph is "
            "still a record for the station. We apologise for the error.</p>"
        ),
    ),
    _post(
        "14 people helped from flooded homes",
        _quote(
            "Crews in boats have so far helped 14 people out of flooded homes on Quay Street "
            "and Net Lane. Two were taken to hospital as a precaution. If you are trapped, get "
            "upstairs, call 999 and wait for us. Please don't try to wade out.",
            "Dev Okafor",
            "Group manager, Wendmoor Fire and Rescue Service",
        ),
        _embed("https://bsky.app/profile/wendmoorfire.bsky.social/post/3lbxr5tnq4c2k"),
    ),
    _post(
        "Fish market roof collapse confirmed",
        _text(
            "<p>The council has now confirmed that a large section of the fish market roof on "
            "the East Quay collapsed at about 00:10. The building was empty and <strong>nobody "
            "was hurt</strong>.</p>"
            "<p>A cordon is in place around the market and the neighbouring ice plant while "
            "structural engineers wait for daylight to assess the damage.</p>"
        ),
        _embed("https://x.com/KettlebyCouncil/status/1859041234567890123"),
        key_event=True,
    ),
    _post(
        "All three trawler crew rescued",
        _text(
            "<p>All three crew of the <em>Maris Jenny</em> are safe. The lifeboat took them off "
            "the vessel at 01:35, about 300 metres from Gull Rock, and paramedics are checking "
            "them over at the lifeboat station.</p>"
        ),
        _quote(
            "It was as big a sea as I've seen out there. The skipper did everything right: he "
            "kept his anchor down and kept talking to us, and that bought us the time we "
            "needed.",
            "Tam Ridley",
            "Coxswain, Kettleby Inshore Rescue",
        ),
        key_event=True,
    ),
    _post(
        "Watch: the lifeboat comes home",
        _embed("https://www.youtube.com/watch?v=R2hW9kPe7sA"),
        _text(
            "<p>Footage released by Kettleby Inshore Rescue shows the lifeboat coming back into "
            "the harbour with the rescued crew just before 02:30.</p>"
        ),
    ),
    _post(
        None,
        _image(
            "promenade-rain-night.jpg",
            "The deserted promenade at 02:40.",
            "Photo: Leo Marchetti / Courier",
            "A rain-lashed seafront promenade at night, lit by old lamp posts, with a railing "
            "on the left and rough sea beyond.",
        ),
        _text(
            "<p>On the promenade the wind has eased a little in the last half-hour, but the "
            "rain is now torrential. Our reporter Leo Marchetti says waves are still breaking "
            "over the railings by the bandstand.</p>"
        ),
    ),
    _post(
        "Power cuts rise to 11,000 homes",
        _text(
            "<p>Wendmoor Power Networks now says about 11,000 homes and businesses are without "
            "power, including most of Kettleby's old town. A substation at Low Town was "
            "switched off as a precaution when flood water reached it.</p>"
        ),
        _embed("https://x.com/WendmoorPower/status/1859056789012345678"),
    ),
    _post(
        "'Kettleby has pulled together'",
        _quote(
            "To everyone who has opened their door to a neighbour tonight, filled a sandbag or "
            "made tea at the rest centre: thank you. There is a lot of damage and a long "
            "clean-up ahead, but I am enormously proud of this town.",
            "Cllr Ruth Penhallow",
            "Leader of Kettleby Borough Council",
        ),
        _text("<p>The council says 212 people are spending the night at the rest centre.</p>"),
    ),
    _post(
        None,
        _embed("https://mastodon.social/@kettlebycoastguard/113457012345678901"),
        _text(
            "<p>The coastguard says it has dealt with 23 incidents since 20:00 and the lifeboat "
            "is back on station. It is asking people not to go onto the beaches at first light "
            "because of debris and unstable sand.</p>"
        ),
    ),
    _post(
        "Red warning downgraded to amber",
        _text(
            "<p>The National Forecast Centre has downgraded its warning for the Wendmoor coast "
            "from red to amber from 04:00. Gusts of 60 to 70mph are still possible until "
            "mid-morning.</p>"
            "<p>Not sure what the colours mean? "
            '<a href="https://example.org/weather/what-a-red-warning-means">Our guide to '
            "weather warnings</a> explains.</p>"
        ),
    ),
    _post(
        None,
        _embed("https://bsky.app/profile/kettlebytides.bsky.social/post/3lbxt6wv2gh2p"),
        _text(
            "<p>Local weather watcher Kettleby Tides has posted the readings from his garden "
            "station in Holt Sands, where the pressure bottomed out at 951 millibars as the "
            "storm passed overhead.</p>"
        ),
    ),
    _post(
        "Storm moves away as warnings are lifted",
        _text(
            "<p>The centre of Halvard is now over the North Wendmoor hills and moving away to "
            "the north-east. The National Forecast Centre lifted all warnings for the coast at "
            "06:00.</p>"
            "<p>Quay Street and Net Lane remain closed, and the council says residents should "
            "not try to return until their homes have been checked.</p>"
        ),
        _embed("https://www.youtube.com/watch?v=bN5cY1uTfQd"),
        _link(
            "https://example.org/weather/sunday-forecast-wendmoor",
            "Sunday's forecast: blustery showers, then calmer",
            "Winds ease through the afternoon, with a dry and bright evening for the "
            "clean-up.",
        ),
        key_event=True,
    ),
    _post(
        "First light",
        _image(
            "morning-after-beach.jpg",
            "Debris on Kettleby beach at sunrise on Sunday.",
            "Photo: Hana Kowalczyk / Courier",
            "A calm sea at sunrise, with broken timber, seaweed and an orange buoy scattered on "
            "the sand beside an old wooden groyne.",
        ),
        _text(
            "<p>Dawn on the beach below the promenade, where the tide has left timber, seaweed "
            "and a fishing buoy along the high-water mark. The council says beach cleaning will "
            "start on Monday.</p>"
        ),
    ),
    _post(
        "Schools closed, and how to get help",
        _text(
            "<ul>"
            "<li>All schools in Kettleby and Holt Sands will be closed on Monday.</li>"
            "<li>The rest centre at Kettleby Academy stays open until at least Monday "
            "evening.</li>"
            "<li>Residents can report storm damage to the council online, or in person at the "
            "town hall from 09:00.</li>"
            "</ul>"
        ),
        _embed("https://x.com/KettlebyCouncil/status/1859087654321098765"),
        _link(
            "https://example.com/kettleby/storm-halvard-help",
            "Storm Halvard: where to get help",
            "Insurance, emergency grants, boarding-up and clean-up volunteers: a guide for "
            "everyone affected.",
        ),
    ),
    _post(
        "This concludes our live coverage",
        _text(
            "<p>This concludes our live coverage of Storm Halvard. Thank you for following "
            "through the night, and to everyone who sent us pictures and information.</p>"
            "<p>Our reporters will be in Kettleby throughout Sunday as the clean-up begins. "
            "You can read the full story of the night in our main report.</p>"
        ),
        _link(
            "https://example.org/news/storm-halvard-night-in-kettleby",
            "How Storm Halvard's night of fury unfolded in Kettleby",
            "The storm, the rescues and the flooding, with pictures from our photographers.",
        ),
    ),
]
