"""Writes the sample data set (original text, composed from templates; no copied data):
courses.jsonl (canonical courses), jobs.jsonl (postings tagged with the Indeed 12-tag scheme),
unlabeled.jsonl, postings.jsonl (postings laid out under headings, which the posting reader
learns from) and skills.jsonl (a small taxonomy in ESCO's shape). Deterministic:
`python data/sample/generate.py` rewrites the same files.
Ids start with the field's slug, which tests use as ground truth for relevance."""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).parent

FIELDS = {
    "data-science": {
        "skills": ["Python", "SQL", "machine learning", "statistics", "data visualization",
                   "pandas", "regression models", "A/B testing", "Tableau", "data cleaning"],
        "jobs": ["Data Scientist", "Data Analyst", "Machine Learning Engineer"],
        "duties": ["build predictive models on customer data", "write SQL queries against the "
                   "warehouse", "present findings to stakeholders with clear charts",
                   "design and analyse A/B tests", "clean and join messy data sets"],
    },
    "software": {
        "skills": ["Java", "JavaScript", "REST APIs", "Git", "unit testing", "cloud deployment",
                   "React", "object-oriented design", "Docker", "code review"],
        "jobs": ["Software Engineer", "Web Developer", "Backend Developer"],
        "duties": ["build and maintain REST APIs", "write unit tests and review code",
                   "ship features in React and JavaScript", "deploy services to the cloud with "
                   "Docker", "debug production issues in Java services"],
    },
    "nursing": {
        "skills": ["patient assessment", "medication administration", "wound care",
                   "infection control", "care planning", "vital signs", "electronic health "
                   "records", "patient education", "triage", "clinical documentation"],
        "jobs": ["Registered Nurse", "Licensed Practical Nurse", "Home Health Nurse"],
        "duties": ["assess patients and record vital signs", "administer medication safely",
                   "provide wound care and infection control", "educate patients and families",
                   "document care in the electronic health record"],
    },
    "accounting": {
        "skills": ["bookkeeping", "financial statements", "accounts payable", "tax preparation",
                   "auditing", "Excel", "reconciliation", "budgeting", "GAAP", "payroll"],
        "jobs": ["Staff Accountant", "Bookkeeper", "Payroll Specialist"],
        "duties": ["reconcile bank accounts monthly", "prepare financial statements under GAAP",
                   "process accounts payable and payroll", "support the annual audit",
                   "build budgets and forecasts in Excel"],
    },
    "marketing": {
        "skills": ["digital marketing", "SEO", "social media", "content strategy",
                   "email campaigns", "Google Analytics", "brand management", "copywriting",
                   "market research", "paid advertising"],
        "jobs": ["Marketing Coordinator", "Digital Marketing Specialist", "Content Manager"],
        "duties": ["plan social media and email campaigns", "improve SEO and site traffic",
                   "write copy for ads and landing pages", "track results in Google Analytics",
                   "run market research on new segments"],
    },
    "sales": {
        "skills": ["negotiation", "prospecting", "CRM software", "cold calling",
                   "account management", "sales forecasting", "closing techniques",
                   "customer needs analysis", "B2B sales", "pipeline management"],
        "jobs": ["Sales Representative", "Account Executive", "Inside Sales Associate"],
        "duties": ["prospect and cold call new accounts", "manage a pipeline in the CRM",
                   "negotiate and close B2B deals", "grow existing accounts",
                   "forecast monthly sales"],
    },
    "project-management": {
        "skills": ["project planning", "Agile", "Scrum", "risk management",
                   "stakeholder communication", "scheduling", "budget control", "PMP",
                   "Gantt charts", "scope management"],
        "jobs": ["Project Manager", "Scrum Master", "Program Coordinator"],
        "duties": ["plan projects and keep schedules", "run Scrum ceremonies for agile teams",
                   "manage risks, scope and budget", "report status to stakeholders",
                   "coordinate vendors and deadlines"],
    },
    "cybersecurity": {
        "skills": ["network security", "penetration testing", "incident response",
                   "firewalls", "threat detection", "vulnerability assessment", "SIEM",
                   "encryption", "security compliance", "malware analysis"],
        "jobs": ["Security Analyst", "Penetration Tester", "SOC Analyst"],
        "duties": ["monitor alerts in the SIEM", "respond to security incidents",
                   "run vulnerability assessments and penetration tests",
                   "configure firewalls and network security", "analyse malware samples"],
    },
    "design": {
        "skills": ["user experience design", "wireframing", "prototyping", "Figma",
                   "typography", "visual design", "user research", "Adobe Photoshop",
                   "usability testing", "design systems"],
        "jobs": ["UX Designer", "Graphic Designer", "Product Designer"],
        "duties": ["create wireframes and prototypes in Figma", "run user research and "
                   "usability tests", "design visual assets in Photoshop",
                   "maintain the design system", "work with engineers on user experience"],
    },
    "education": {
        "skills": ["lesson planning", "classroom management", "curriculum design",
                   "student assessment", "differentiated instruction", "early childhood "
                   "education", "special education", "tutoring", "online teaching",
                   "learning objectives"],
        "jobs": ["Elementary Teacher", "Teaching Assistant", "Tutor"],
        "duties": ["plan lessons with clear learning objectives", "manage a classroom of "
                   "young learners", "assess student progress", "adapt instruction for "
                   "special education needs", "tutor students one on one"],
    },
    "logistics": {
        "skills": ["supply chain management", "inventory control", "warehouse operations",
                   "forklift operation", "shipping and receiving", "procurement",
                   "demand planning", "logistics software", "route planning", "lean operations"],
        "jobs": ["Warehouse Associate", "Logistics Coordinator", "Inventory Specialist"],
        "duties": ["receive and ship orders in the warehouse", "count and control inventory",
                   "plan delivery routes", "operate a forklift safely",
                   "coordinate procurement with suppliers"],
    },
    "human-resources": {
        "skills": ["recruiting", "employee relations", "onboarding", "HR policies",
                   "benefits administration", "performance management", "labor law",
                   "interviewing", "HRIS", "compensation"],
        "jobs": ["HR Generalist", "Recruiter", "HR Coordinator"],
        "duties": ["recruit and interview candidates", "onboard new employees",
                   "administer benefits and compensation", "handle employee relations "
                   "questions", "keep the HRIS and HR policies current"],
    },
    "mechanical": {
        "skills": ["CAD", "SolidWorks", "thermodynamics", "manufacturing processes",
                   "quality control", "machining", "mechanical design", "GD&T",
                   "root cause analysis", "preventive maintenance"],
        "jobs": ["Mechanical Engineer", "Maintenance Technician", "Quality Technician"],
        "duties": ["design parts in SolidWorks", "inspect parts for quality control",
                   "perform preventive maintenance on machines", "run root cause analysis",
                   "improve manufacturing processes"],
    },
}

# Jobs no sample course prepares for: judged postings that teach the calibration what a
# posting outside the catalog looks like.
OUTSIDE = {
    "aviation": ("Airline Pilot", ["fly commercial aircraft on domestic routes",
                                   "complete pre-flight checks with the first officer",
                                   "log flight hours and report to air traffic control"]),
    "culinary": ("Line Cook", ["prepare sauces and grill proteins to order",
                               "keep the kitchen line stocked and clean",
                               "follow food safety rules during service"]),
    "electrical": ("Electrician", ["install conduit, wiring and panels",
                                   "troubleshoot circuits with a multimeter",
                                   "work to the electrical code on job sites"]),
}
PROVIDERS = ["Northfield University", "Open Skills Institute", "Lakeside College",
             "Meridian Academy", "Harbor Tech"]
LEVELS = ["beginner", "intermediate", "advanced"]
COURSE_TITLES = ["Introduction to {0}", "{0} Fundamentals", "Applied {0}", "{0} in Practice",
                 "Mastering {0}", "{0} and {1}", "Hands-on {0} with {1}"]
COURSE_OPENERS = [
    "In this course you will learn {0} and {1} step by step.",
    "This course teaches the core ideas of {0}, with practical exercises in {1}.",
    "Learners build real skills in {0} and apply them to {1}.",
    "A practical course on {0}: you will work through projects that use {1}.",
]
COURSE_CLOSERS = [
    "By the end you will be able to use {0} confidently at work.",
    "Weekly quizzes and a final project check your progress in {0}.",
    "No prior experience is needed beyond curiosity about {0}.",
    "Videos, readings and peer-graded assignments cover {0} in depth.",
]

TAG_PHRASES = {
    "part-time-job": ["This is a part-time position, about 20 hours per week.",
                      "Part time role with a flexible schedule.",
                      "We are hiring for a part-time shift, evenings and weekends."],
    "full-time-job": ["This is a full-time position, Monday through Friday.",
                      "Full time, 40 hours per week.", "Schedule: full-time, day shift."],
    "hourly-wage": ["Pay: ${0}.50 per hour.", "Starting wage ${0}/hr.",
                    "Hourly pay of ${0} to ${1} depending on experience."],
    "salary": ["Salary: ${0},000 - ${1},000 per year.", "Annual salary of ${0}k plus bonus.",
               "Competitive base salary (${0},000 to ${1},000)."],
    "associate-needed": ["Associate degree required.",
                         "An associate's degree in a related field is required."],
    "bs-degree-needed": ["Bachelor's degree required.",
                         "BS or BA in a related field is required.",
                         "Must hold a bachelor degree from an accredited university."],
    "ms-or-phd-needed": ["Master's degree or PhD required.",
                         "An MS or PhD in a relevant field is required.",
                         "Graduate degree (masters or doctorate) required."],
    "licence-needed": ["A valid state license is required.",
                       "Must hold a current professional license.",
                       "Valid driver's license and clean driving record required."],
    "1-year-experience-needed": ["At least 1 year of experience required.",
                                 "One year of related experience is required.",
                                 "Minimum 12 months of relevant experience."],
    "2-4-years-experience-needed": ["3+ years of experience required.",
                                    "2-4 years of relevant experience.",
                                    "Requires two to three years of experience."],
    "5-plus-years-experience-needed": ["5+ years of experience required.",
                                       "Seven or more years of progressive experience.",
                                       "At least 6 years of relevant experience."],
    "supervising-job": ["You will supervise a team of {0} staff.",
                        "Lead, coach and manage a small team.",
                        "Supervisory role: schedule and oversee the work of the crew."],
}
GROUPS = [
    (["part-time-job", "full-time-job"], 0.85),
    (["hourly-wage", "salary"], 0.6),
    (["associate-needed", "bs-degree-needed", "ms-or-phd-needed"], 0.5),
    (["1-year-experience-needed", "2-4-years-experience-needed",
      "5-plus-years-experience-needed"], 0.65),
    (["licence-needed"], 0.2),
    (["supervising-job"], 0.25),
]
BLURBS = ["Our company has served the region for over twenty years.",
          "We are a fast-growing team that values curiosity and kindness.",
          "Join a friendly workplace with room to grow."]
BENEFITS = ["Benefits include medical, dental and vision insurance and a 401k match.",
            "We offer paid time off and tuition reimbursement."]
EEO = "We are an equal opportunity employer and consider all qualified applicants."
DISTRACTORS = ["No degree required.", "Experience is a plus but not required.",
               "Students are welcome to apply."]


def course(rng: random.Random, field: str, spec: dict, number: int) -> dict:
    skills = rng.sample(spec["skills"], 4)
    title = rng.choice(COURSE_TITLES).format(skills[0].title() if skills[0].islower()
                                             else skills[0], skills[1])
    description = " ".join([
        rng.choice(COURSE_OPENERS).format(skills[0], skills[1]),
        f"Topics include {skills[2]}, {skills[3]} and how they fit together.",
        rng.choice(COURSE_CLOSERS).format(skills[0]),
    ])
    slug = title.lower().replace(" ", "-").replace("/", "-").replace("&", "and")
    return {
        "id": f"{field}-{number:02d}-{slug}"[:80],
        "title": title,
        "description": description,
        "provider": rng.choice(PROVIDERS),
        "level": LEVELS[number % 3],
        "url": f"https://courses.example.org/{field}/{number}",
        "skills": skills,
        "language": "es" if number == 12 else "en",
    }


def job(rng: random.Random, field: str, spec: dict, number: int, labeled: bool) -> dict:
    tags = []
    for group, probability in GROUPS:
        if rng.random() < probability:
            tags.append(rng.choice(group))
    duties = rng.sample(spec["duties"], 3)
    skills = rng.sample(spec["skills"], 3)
    title = rng.choice(spec["jobs"])
    sentences = [rng.choice(BLURBS),
                 f"We are looking for a {title} to {duties[0]}.",
                 f"You will {duties[1]} and {duties[2]}.",
                 f"Skills we need: {', '.join(skills)}."]
    low = rng.randint(14, 30)
    for tag in tags:
        sentences.append(rng.choice(TAG_PHRASES[tag]).format(low, low + rng.randint(5, 20)))
    if rng.random() < 0.3:
        sentences.append(rng.choice(DISTRACTORS))
    sentences += [rng.choice(BENEFITS), EEO]
    record = {
        "id": f"{field}-job-{number:03d}",
        "title": title,
        "description": " ".join(sentences),
    }
    if labeled:
        record["tags"] = sorted(tags)
    return record


# Alternative labels that share no word with the preferred one, as many of ESCO's do.
ALTERNATIVE_LABELS = {
    "SQL": ["structured query language"], "machine learning": ["statistical learning"],
    "cold calling": ["telephone prospecting"], "bookkeeping": ["keeping the ledgers"],
    "triage": ["prioritising patients by urgency"], "forklift operation": ["lift truck driving"],
    "Git": ["version control"], "SEO": ["search engine optimisation"],
}
SKILL_DEFINITIONS = [
    "The knowledge and practice of {0} in everyday work.",
    "Apply {0} to solve the problems a job sets, alone or in a team.",
    "Use the methods and tools of {0} with care and precision.",
]


def skill(rng: random.Random, name: str) -> dict:
    """An ESCO-shaped skill (original text, made-up URI): the preferred label, alternative
    labels and a definition run together, as in the shared taxonomy."""
    label = name
    alternatives = [*ALTERNATIVE_LABELS.get(name, []), f"use {label}", f"apply {label}"]
    slug = label.lower().replace(" ", "-").replace("/", "-")
    text = " ".join([label, *alternatives, rng.choice(SKILL_DEFINITIONS).format(label)])
    return {"uri": f"urn:careerpath:sample-skill:{slug}", "label": label, "text": text}


SECTION_OPENERS = ["About us", "Who we are", "Our company"]
DUTY_HEADINGS = ["Responsibilities", "What you will do", "Key duties"]
REQUIREMENT_HEADINGS = ["Requirements", "Qualifications", "What we are looking for"]
OFFER_HEADINGS = ["Benefits", "What we offer", "Perks"]
# What postings say besides the job, in more words than the short postings above use: the
# reader learns from these what a company's story, perks, legal notices and application
# steps sound like.
COMPANY_STORY = [
    "Founded by two friends in a garage, the company now serves customers in twelve states.",
    "We are a family owned business proud of our people and our community.",
    "Our mission is to make everyday services simple, fair and friendly for everyone.",
    "For three generations our firm has built a reputation for quality and trust.",
    "We were named one of the best places to work in the region five years running.",
    "Our team of more than four hundred people shares a culture of respect and growth.",
]
PERKS = [
    "Medical, dental and vision insurance from your first day.",
    "A retirement plan with a generous company match.",
    "Paid vacation, paid holidays and paid sick leave.",
    "Employee discounts, a wellness program and a free gym membership.",
    "Tuition reimbursement and paid training for your next step.",
    "Life insurance, disability coverage and a flexible spending account.",
]
LEGAL = [
    "Candidates are considered for employment regardless of age, ancestry, religion, gender, "
    "orientation or disability.",
    "We provide reasonable accommodation to applicants with disabilities on request.",
    "The company participates in E-Verify and complies with all employment laws.",
    "This description is not a complete list of duties and may change at any time.",
]
APPLYING = [
    "Use the button below to send us your CV and a few lines about yourself.",
    "Offers depend on a reference check and a pre-employment screening.",
    "Send your application by email; we answer every applicant within a week.",
    "Interviews are held on site and by video call.",
]


def sectioned(rng: random.Random, field: str, spec: dict, number: int) -> dict:
    """A posting laid out as boards lay them out, each kind of text under its heading."""
    title = rng.choice(spec["jobs"])
    low = rng.randint(14, 30)
    terms = [rng.choice(TAG_PHRASES[rng.choice(group)]).format(low, low + 10)
             for group, _ in GROUPS[:4]]
    sections = [
        (rng.choice(SECTION_OPENERS), [rng.choice(BLURBS), *rng.sample(COMPANY_STORY, 2)]),
        (rng.choice(DUTY_HEADINGS), [duty[0].upper() + duty[1:]
                                     for duty in rng.sample(spec["duties"], 3)]),
        (rng.choice(REQUIREMENT_HEADINGS), [f"Experience with {skill}"
                                            for skill in rng.sample(spec["skills"], 3)] + terms),
        (rng.choice(OFFER_HEADINGS), [rng.choice(BENEFITS), *rng.sample(PERKS, 3)]),
        ("Equal opportunity", [EEO, rng.choice(LEGAL)]),
        ("How to apply", rng.sample(APPLYING, 2)),
    ]
    description = "\n\n".join(f"{heading}:\n" + "\n".join(f"- {line}" for line in lines)
                               for heading, lines in sections)
    return {"id": f"{field}-posting-{number:03d}", "title": title, "description": description}


def outside_posting(field: str, number: int) -> dict:
    title, duties = OUTSIDE[field]
    return {"id": f"{field}-job-{number:03d}", "title": title,
            "description": f"We are looking for {'an' if title[0] in 'AEIOU' else 'a'} {title} "
                           f"to {duties[0]}. You will "
                           f"{duties[1]} and {duties[2]}. {BENEFITS[number % 2]} {EEO}"}


def judgments(postings: list[dict], courses: list[dict]) -> tuple[list[dict], list[dict]]:
    """Judgments in the shared judgments' shape for some unlabeled postings and for postings
    outside the catalog: a course of the posting's field teaches a core skill of the job (2);
    the rest are not relevant (0)."""
    judged = postings[::4] + [outside_posting(field, n) for field in OUTSIDE for n in range(2)]
    queries = [{"qid": p["id"], "source": "sample", "title": p["title"],
                "text": p["description"]} for p in judged]
    qrels = [{"qid": p["id"], "id": c["id"],
              "rel": 2 if c["id"].startswith(p["id"].split("-job-")[0] + "-") else 0}
             for p in judged for c in courses]
    return queries, qrels


def skill_judgments(postings: list[dict], skills: list[dict]) -> list[dict]:
    """Skills graded for some postings, in the shared skill judgments' shape: a skill the
    posting names is asked for (2), a skill of another field is not (0); the other skills of
    its field are left ungraded (its duties may or may not imply them)."""
    fields = {name: field for field, spec in FIELDS.items() for name in spec["skills"]}
    graded = []
    for posting in postings:
        field = posting["id"].split("-job-")[0]
        text = posting["description"].lower()
        graded += [{"id": posting["id"], "uri": skill["uri"],
                    "rel": 2 if skill["label"].lower() in text else 0} for skill in skills
                   if skill["label"].lower() in text or fields[skill["label"]] != field]
    return graded


def main() -> None:
    rng = random.Random(20261123)
    courses, jobs, unlabeled = [], [], []
    for field, spec in FIELDS.items():
        courses += [course(rng, field, spec, n) for n in range(13)]
        jobs += [job(rng, field, spec, n, labeled=True) for n in range(26)]
        unlabeled += [job(rng, field, spec, 100 + n, labeled=False) for n in range(8)]
    names = sorted({name for spec in FIELDS.values() for name in spec["skills"]})
    skills = [skill(rng, name) for name in names]
    queries, qrels = judgments(unlabeled, courses)
    layout = random.Random(20261205)  # its own generator: the files above stay as they were
    postings = [sectioned(layout, field, spec, n) for field, spec in FIELDS.items()
                for n in range(6)]
    graded = unlabeled[1::2]
    graded_postings = [{key: p[key] for key in ("id", "title", "description")} for p in graded]
    for name, records in (("courses", courses), ("jobs", jobs), ("unlabeled", unlabeled),
                          ("postings", postings),
                          ("skill_judgments/postings_dev", graded_postings),
                          ("skill_judgments/posting_judgments_dev",
                           skill_judgments(graded, skills)),
                          ("skills", skills), ("judgments/queries_dev", queries),
                          ("judgments/qrels_dev", qrels)):
        (HERE / name).parent.mkdir(exist_ok=True)
        with (HERE / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{name}: {len(records)}")


if __name__ == "__main__":
    main()
