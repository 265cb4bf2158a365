"""The domain's fixed lists (docs/domain.md). Stored as text; rules check membership."""

from .. import registry

ORG_KINDS = (
    "사회적기업", "예비사회적기업(경기도형)", "예비사회적기업(부처형)", "마을기업",
    "협동조합", "사회적협동조합", "자활기업", "기타",
)
PURPOSE_TYPES = (
    "일자리제공형", "사회서비스제공형", "지역사회공헌형(가형)", "지역사회공헌형(나형)",
    "혼합형", "창의혁신형", "기타형",
)
EDUCATION_COURSES = (
    "기초과정", "심화과정", "찾아가는 아카데미", "청소년 교육", "재직자 역량강화", "창업교육",
    "공공구매 담당자 교육",
)
# The courses whose runs the report lists one by one (it counts the others per course), and
# what the audience of a run for the startup teams names (its own block of the report).
VISITING_COURSE, PURCHASE_COURSE = "찾아가는 아카데미", "공공구매 담당자 교육"
STARTUP_AUDIENCE = "창업지원사업"
EDUCATION_MODES = ("대면", "온라인 Zoom", "온나라 영상회의", "온라인")
# the startup teams' rounds (창업지원사업 심화컨설팅): their own block of the report
TEAM_CONSULTING_KINDS = ("창업팀 심화 1차", "창업팀 심화 2차")
CONSULTING_KINDS = ("기초", "심화 1:1", "컨설팅 데이", *TEAM_CONSULTING_KINDS)
ROUND_KINDS = ("본 모집", "추가 모집")
TEAM_STATUSES = ("선정", "협약", "참여 포기", "수료")
STARTUP_PAYMENT_KINDS = ("1차(80%)", "2차(20%)", "환수")
DESIGNATION_KINDS = ("경기도형", "부처형")  # 예비사회적기업 designation schemes
DESIGNATION_RESULTS = ("심사 중", "지정", "미지정")
SALES_KINDS = ("전시회", "장터·마켓", "프리마켓", "라이브커머스", "온라인 기획전")
FINANCE_PROGRAMS = ("사업개발비", "일자리창출 인건비", "사회보험료")
SPACE_PROVIDERS = ("코레일", "LH", "기타")
SPACE_USES = ("사무실", "커뮤니티 공간", "기타")
SPACE_STATUSES = ("운영", "반납", "선정 예정")
FUND_SOURCES = ("국비", "도비", "시비", "기타")
PURCHASING_GRADES = ("S", "A", "B", "C", "D")
PROMOTION_CHANNELS = (
    "새올행정시스템 시정공유방", "유관기관", "전국 지자체", "부서 방문·전화", "계획·보고", "교육",
    "기타",
)
PUBLICATION_KINDS = ("홍보 책자", "카탈로그", "기타")
PARTICIPATION_KINDS = ("공약 관련 회의", "설명회·민생탐방", "전문가 자문", "언론/방송 보도", "기타")
BUDGET_KINDS = ("투자계획", "확보", "집행")
NOTE_KINDS = ("추진 실적", "추진 계획", "문제점", "개선대책")
# Report sections a free-text note or a carried-over figure belongs to (the program areas).
AREAS = registry.keys()
AREA_LABELS = registry.labels()
