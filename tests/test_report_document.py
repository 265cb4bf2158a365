"""The whole 공약 이행 실적 document from the demo database holds the seed report's items.

`SEED_ITEMS` is the table of expected facts: one row per item of the seed report
(shared/seed/000_*.txt), each the fragments that must all appear in the text pdftotext reads
from the exported document (whitespace ignored, so wrapped lines still match). Rows follow
the seed's order; the ids say where the item sits (h1 = 상반기 row, h2 = 하반기 row, plan,
tail). Misprints of the seed are in their corrected form (docs/domain.md).
"""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from db.periods import Period
from exports import api
from tests import seed_coverage
from tests.export_fixtures import open_demo, squash

SEED_ITEMS: list[tuple[str, tuple[str, ...]]] = [
    # ── 상반기 추진 실적: 창업지원 yearly table and 2021 상반기 ──
    ("h1-startup-selected", ("9개팀", "7개팀")),
    ("h1-startup-support-2018", ("교육19시간,컨설팅", "1:2인실지", "원(2개팀)")),
    ("h1-startup-support-2019", ("교육15시간,컨설팅",)),
    ("h1-startup-support-2020", ("교육12시간,컨설팅", "개별2~3회")),
    ("h1-startup-result-2018", ("예비지정6개팀", "18", "19")),
    ("h1-startup-result-2020", ("예비지정4개팀",)),
    ("h1-startup-recruit", ("참여자모집:2021.3.10.~3.30.",)),
    ("h1-startup-review", ("10개사접수및대면심사(4.13.)",)),
    ("h1-startup-agreement", ("최종7개팀선정및6개팀협약식개최(4.22.)", "1개팀협약전참여포기")),
    ("h1-startup-course", ("사회적기업창업교육(12시간):5.12.(수)~14.(금)4시간/일☞6개팀7명",)),
    ("h1-startup-extra", ("1개팀참여포기로추가모집",)),
    ("h1-startup-extra-recruit", ("모집(1개팀):2021.5.6.~5.26.",)),
    ("h1-startup-extra-review", ("3개사접수및대면심사(6.4.)",)),
    ("h1-startup-extra-agreement", ("1개팀최종선정및협약(6.9.)",)),
    ("h1-startup-online", ("사회적경제기초과정온라인7차", "10시간교육")),
    ("h1-startup-fund", ("7개사사업개발비지급(80%):6.10.☞기업별800만원",)),
    ("h1-startup-consulting", ("6.29.(6개팀)", "1개팀불참☞7월예정")),
    ("h1-team-1", ("㈜마을숲", "이영아", "고양시로컬푸드친환경상품온/오프플랫폼운영")),
    ("h1-team-2", ("협동조합행호유람", "이옥석")),
    ("h1-team-3", ("그린다", "김선당", "식물,화분,리사이클플랫폼")),
    ("h1-team-4", ("아띠커뮤니케이션", "손동호")),
    ("h1-team-5", ("아트파인드", "정현식")),
    ("h1-team-6", ("목덕방", "이희석", "원목가구인테리어소품제조")),
    ("h1-team-withdrawn", ("참여포기", "서진DCP", "손영욱", "치매예방콘텐츠개발및코딩교육")),
    ("h1-team-added", ("추가선정", "아이세상발달센터", "유명숙")),
    # ── 판로지원 yearly table, 메가쇼 시즌 1 ──
    ("h1-sales-count", ("8회", "10회", "11회", "1회")),
    ("h1-sales-amount", ("71,922천원", "188,472천원", "270,164천원", "25,665천원")),
    ("h1-sales-mark", ("2021년상반기추진내용",)),
    ("h1-megashow-1", ("메가쇼2021시즌1", "6.17.(목)~20.(일)", "킨텍스제2전시장7·8홀")),
    ("h1-megashow-1-companies", ("참가기업:10개기업",)),
    # ── 재정지원 yearly table ──
    ("h1-finance-fund", ("222백", "207백", "205백", "42백")),
    ("h1-finance-jobs", ("903백", "832백", "632백", "284백")),
    ("h1-finance-insurance", ("129백", "124백", "94백", "80백")),
    # ── 입주공간 yearly table ──
    ("h1-space-korail-2018", ("사회적경제기", "업지원에관한업무")),
    ("h1-space-korail-seoul", ("서울역2층로", "(9.12.~13.)")),
    ("h1-space-korail-2019", ("5개소입주기",)),
    ("h1-space-korail-2021", ("1개소(능곡역)", "계약기간만료", "(5.27.~6.16.)")),
    ("h1-space-lh-2018", ("12월:행신2지구", "공간1개소인수")),
    ("h1-space-lh-2019", ("4월:행신2지구입", "향동1단지", "(행신2지구7")),
    ("h1-space-lh-2020",
     ("1월:향동1단지입", "2월:향동1단지기", "9월:지축,삼송등", "12월:삼송,덕은등")),
    ("h1-space-lh-2021", ("6월:지축4단지,지",)),
    # ── 사회서비스, 국립암센터 협력사업 (2018–2019) ──
    ("h1-social-program", ("보건복지부주관사회적경제컨소시엄공모시범사업추진",)),
    ("h1-cancer-head", ("국립암센터와사회적경제협력사업추진",)),
    ("h1-cancer-mou", ("고양시vs국립암센터업무협약(2018.8.13.)",)),
    ("h1-cancer-startup", ("암환우사회복지를위한사회적경제창업지원",)),
    ("h1-cancer-meeting", ("암환우대상사회적경제기업설립관련간담회(2018.9.17.)",)),
    ("h1-cancer-course", ("유방암환우회민들레회원46명", "2018.11.~12.중4회실시")),
    ("h1-cancer-consulting", ("비즈니스모델발굴,사회적경제창업등종합적컨설팅지원",)),
    ("h1-cancer-coop", ("사회적협동조합'다시시작'보건복지부설립인가(2019.9.20.)",)),
    ("h1-cancer-space", ("암환우사회복지를위한사회적경제창업공간지원",)),
    ("h1-cancer-baengma", ("백마역1개공간제공(사회적협동조합다시시작입주)",)),
    ("h1-cancer-lease", ("암센터와임대계약,기본공사및리모델링실시,2019.10.입주완료",)),
    # ── 우선구매 2019 ──
    ("h1-purchase-2019", ("2019년주요추진실적",)),
    ("h1-purchase-2019-grade", ("2019년56억원으로", "'S'등급달성")),
    ("h1-purchase-2019-dept", ("2019년사회적경제우선구매율부서별평가및성과관리에반영",)),
    ("h1-purchase-2019-course", ("사회적경제우선구매교육실시(2019.4.)",)),
    ("h1-purchase-2019-lecture", ("명사와함께하는사회적경제알리미교육(2019.12.)",)),
    ("h1-purchase-2019-promote", ("고양시사회적경제기업상품각부서및전국지자체에홍보",)),
    ("h1-purchase-2019-products",
     ("마을기업,(예비)사회적기업,사회적협동조합제품에대한지속적홍보및구매독려",)),
    ("h1-purchase-2019-catalogue", ("고양시사회적경제기업상품카탈로그로전부서및전국지자체홍보",)),
    ("h1-purchase-2019-award", ("경기도사회적경제공공구매우수사례제도개선분야우수상(2019)",)),
    # ── 우선구매 2020 ──
    ("h1-purchase-2020-grade", ("2020년85억원", "'S'등급달성")),
    ("h1-purchase-2020-plan", ("2020년", "우선구매활성화계획등수립")),
    ("h1-purchase-2020-plan-1", ("사회적경제우선구매활성화계획(2.5.)",)),
    ("h1-purchase-2020-plan-2", ("사회적경제제품우선구매율평가계획수립(2.11.)",)),
    ("h1-purchase-2020-plan-3", ("사회적경제우선구매액부서별목표액수립(2.23.)",)),
    ("h1-purchase-2020-visit",
     ("2020년우선구매부서방문및전화독려", "전부서방문및전화를통한우선구매독려")),
    ("h1-purchase-2020-saeol", ("2020년새올행정시스템시정공유방홍보",)),
    ("h1-saeol-2020-1", ("사회적경제기업제품구매안내(마스크,세정제)(1.28.)",)),
    ("h1-saeol-2020-2", ("사회적경제기업제품우선구매안내(구매방법,기업현황)(1.30.)",)),
    ("h1-saeol-2020-3", ("사회적경제기업제품우선구매안내(2.11.)",)),
    ("h1-saeol-2020-4", ("고양시예비사회적기업사무용품등구매방법안내(2.18.)",)),
    ("h1-saeol-2020-5", ("사회적경제우선구매율평가계획안내(2.26.)",)),
    ("h1-saeol-2020-6",
     ("코로나19확산에따른사회적기업제품(방역,소독,마스크,도시락)구매협조(3.4.)",)),
    ("h1-saeol-2020-7", ("경기도주요시군사회적기업제품구매목록(공사,용역,관급자재)공유(3.10.)",)),
    ("h1-saeol-2020-8", ("고양시면마스크판매사회적경제기업홍보(3.10.)",)),
    ("h1-saeol-2020-9", ("사회적경제제품부서별구매실적알림[매월]",)),
    ("h1-saeol-2020-10", ("예비사회적기업인쇄물및선풍기구입안내(6월)",)),
    ("h1-saeol-2020-11", ("사회적경제우선구매율부서별구매실적안내(7.10.)",)),
    ("h1-saeol-2020-12", ("홍보책자배부및우선구매협조(7.17.)",)),
    ("h1-saeol-2020-13", ("사회적경제우선구매율부서별구매실적안내(8.13.)",)),
    ("h1-saeol-2020-14", ("사회적경제추석맞이선물전안내(9.10.)",)),
    ("h1-saeol-2020-15", ("사회적경제우선구매율부서별구매실적안내(9.10.)",)),
    ("h1-saeol-2020-16", ("사회적경제우선구매율부서별구매실적안내(10.19.)",)),
    ("h1-purchase-2020-related", ("2020년유관기관홍보",)),
    ("h1-related-2020-audience", ("고양시전부서,산하기관,초·중·고",)),
    ("h1-related-2020-1", ("고양시사회적경제기업제품우선구매협조요청(1.3.)",)),
    ("h1-related-2020-2", ("설맞이사회적기업제품우선구매요청(1.11.)",)),
    ("h1-related-2020-3", ("경기도주요사회적경제기업재화및서비스우선구매협조요청(1.17.)",)),
    ("h1-related-2020-4",
     ("코로나19확산에따른사회적기업제품(방역,소독,마스크,도시락)우선구매협조요청(3.4.)",)),
    ("h1-related-2020-5", ("코로나19극복을위한사회적경제기업온라인기획전(6.23.)",)),
    ("h1-related-2020-6", ("고양시사회적경제기업홍보책자배부및우선구매요청(7.20.)",)),
    ("h1-related-2020-cancer", ("국립암센터", "고양시사회적경제기업제품우선구매협조요청(2.18.)")),
    ("h1-related-2020-school", ("고양교육지원청,고양시관내초·중·고",
                                "코로나19확산에따른고양시청소·방역·"
                                "소독사회적기업우선구매홍보(3.25.)")),
    ("h1-national-2020-audience", ("전국시군구,시도",)),
    ("h1-national-2020-1", ("코로나19확산에따른고양시사회적경제기업우선구매요청(4.2.)",)),
    ("h1-national-2020-2", ("코로나19극복을위한사회적기업제품우선구매요청(7.27.)",)),
    ("h1-national-2020-3", ("2020년추석맞이경기도사회적경제기업선물전상품구매안내(9.1.)",)),
    ("h1-national-2020-4", ("사회적기업제품우선구매및추석명절사회적기업제품안내(9.10.)",)),
    ("h1-national-2020-5", ("고양시사회적기업제품구매안내및우선구매협조요청(12.14.)",)),
    ("h1-national-2020-6", ("고양시사회적경제기업제품우선구매요청(12.17.)",)),
    # ── 우선구매 2021 상반기 ──
    ("h1-purchase-2021-plan", ("2021년우선구매활성화계획등수립및전년도실적보고",)),
    ("h1-plan-2021-1", ("2021년사회적경제우선구매율촉진계획(3.3.)",)),
    ("h1-plan-2021-2", ("2021년사회적경제기업의제품구매율향상을위한부서별평가계획수립(3.4.)",)),
    ("h1-plan-2021-3", ("전부서알림(3.9.)",)),
    ("h1-plan-2021-4", ("2021년사회적경제우선구매액부서별목표액수립(3.28.)",)),
    ("h1-plan-2021-5", ("2020년사회적경제기업제품우선구매실적보고(4.22.)",)),
    ("h1-purchase-2021-visit", ("2021년우선구매부서방문및전화독려",)),
    ("h1-visit-2021", ("전부서방문및전화를통한우선구매독려(3.8.~4.1.)",)),
    ("h1-saeol-2021", ("2021년새올행정시스템시정공유방홍보",)),
    ("h1-saeol-2021-1", ("2021경기도사회적경제기업설상품전홍보(1.14.)",)),
    ("h1-saeol-2021-2", ("사회적경제우선구매율부서별구매실적안내(4.9.)",)),
    ("h1-saeol-2021-3", ("사회적경제우선구매율부서별구매실적안내(6.11.)",)),
    ("h1-related-2021", ("2021년유관기관홍보",)),
    ("h1-related-2021-1", ("경기도고양교육지원청", "우선구매홍보요청(2.18.)")),
    ("h1-related-2021-2", ("고양시전부서,산하기관", "우선구매협조요청(3.10.)")),
    # ── 2020 책자, 카탈로그, 유튜브 ──
    ("h1-book-2020", ("고양시사회적경제기업홍보책자제작(2020년)",)),
    ("h1-book-2020-title", ("책자명:2020사회적경제고양시사회적경제기업",)),
    ("h1-book-2020-purpose", ("목적:공공기관구매담당자활용",)),
    ("h1-book-2020-content",
     ("내용:사회적경제개념,사회적경제공공구매제도,고양시사회적경제기업소개",)),
    ("h1-book-2020-note",
     ("※1월,5월경기형예비사회적기업지정발표이후신규기업등을포함하여하반기제작",)),
    ("h1-book-2020-to", ("고양시청모든부서및공공기관",)),
    ("h1-book-2020-copies", ("3,000부(기본2,000부,교육분야1,000부)",)),
    ("h1-catalogue-2020", ("고양시사회적기업제품구매카탈로그제작(2020년)", "제품구매카탈로그제작")),
    ("h1-youtube", ("고양시사회적경제유튜브채널운영",)),
    ("h1-youtube-open", ("유튜브채널개설:2020.3.3.",)),
    ("h1-youtube-about", ("사회적경제인식제고를위해고양시사회적경제기업이야기,"
                          "판로행사와교육소식등다양한콘텐츠로홍보",)),
    ("h1-youtube-count", ("게시영상콘텐츠:2020년총36개(매주화요일게시)", "2021년6월까지총10개")),
    # ── 하반기 추진 실적: 아카데미 ──
    ("h2-row", ("하반기추진실적", "2021.7.~12.실적")),
    ("h2-basic", ("기초과정(온라인):3회30시간,14명",)),
    ("h2-visit-1", ("①자치공동체지원센터", "마을꿈활동가7명", "2021.7.9.(금)15:00~18:00",
                    "사회적경제이해와사례")),
    ("h2-visit-2", ("②국립암센터(온라인Zoom", "정서돌봄서비스메이트지원자및암생존자11명",
                    "2021.8.20.(금)14:00~17:00")),
    ("h2-visit-3", ("③자치공동체지원센터(온라인Zoom", "마을꿈활동가,고양시민등11명",
                    "2021.8.27.(금)15:00~18:00", "협동조합의이해와사례")),
    ("h2-visit-4", ("④국립암센터(온라인Zoom", "국립암센터직원19명",
                    "2021.9.28.(화)/10.5.(화)/10.12.(화)/10.19.(화)14:00~17:00총4회,12시간")),
    ("h2-visit-4-content", ("사회적경제,사회적기업,마을기업,협동조합의이해와사례,설립절차",)),
    ("h2-visit-5",
     ("⑤자치공동체지원센터(온라인Zoom", "주민자치회위원14명", "2021.10.8.", "14:00~17:00")),
    ("h2-youth", ("사회적경제청소년교육:7개중·고등학교9회", "376명")),
    # ── 컨설팅 ──
    ("h2-consulting-basic", ("기초컨설팅(연중수시):130회",)),
    ("h2-consulting-day", ("컨설팅데이:18개사50회",)),
    ("h2-consulting-teams", ("창업지원사업선정팀대상컨설팅(2차):7개팀7회(팀별1회)",)),
    # ── 창업지원 하반기 ──
    ("h2-startup-about",
     ("사회적가치를실현하는사회적기업으로전환가능성이높은사업자를선정하여육성",)),
    ("h2-startup-condition", ("다음해까지(예비)사회적기업심사신청조건",)),
    ("h2-startup-consulting-1", ("1차(사회적기업인증요건등):6.29.(6개팀)", "7.16.(1개팀)")),
    ("h2-startup-consulting-2",
     ("2차(기업별문제개선방법):9.6.(1개팀),9.8.(3개팀),9.9.(1개팀),9.14.(1개팀)",)),
    ("h2-startup-evaluation", ("창업지원사업최종평가:11.23.~25.",)),
    ("h2-startup-rule",
     ("평가결과보통(60점)이상시2차지원금(20%)지급,60점(미흡)미만은사업비환수등기타제재조치예정",)),
    ("h2-designation", ("2021년하반기경기도형예비사회적기업지정신청현황(3개팀)",)),
    ("h2-designation-1", ("(주)마을숲", "일자리제공형", "로컬푸드,친환경상품온/오프플랫폼")),
    ("h2-designation-2", ("지역사회공헌형(가형)", "역사프로그램기획운영")),
    ("h2-designation-3", ("(주)그린다", "창의혁신형", "식품컨텐츠개발운영")),
    # ── 판로지원 하반기 ──
    ("h2-live", ("고양시협동조합협의회유튜브라이브커머스운영지원",)),
    ("h2-live-channel", ("해봄TV(해봄사회적협동조합유튜브채널)",)),
    ("h2-live-when", ("2021.9.7.(화)13:00~17:00",)),
    ("h2-live-products", ("판매제품:수제비누,추석맞이먹거리꾸러미,수제가방등",)),
    ("h2-live-companies", ("해봄사회적협동조합등9개",)),
    ("h2-live-sales", ("6,030천원",)),
    ("h2-market", ("사회적경제꿈길마켓", "※코로나19로지연되어10월20일부터3주간8회운영")),
    ("h2-market-content", ("운영본부,판매부스(수제품,농산품등),체험부스11개동",)),
    ("h2-market-grid", ("강선공원(일산서구주엽동)", "화정중앙공원(덕양구화정동)",
                        "20일~22일(수,목,금)",
                        "28일~29일(목,금)", "3일~5일(수,목,금)", "10:00~16:00")),
    ("h2-market-companies", ("두레협동조합등17개기업",)),
    ("h2-market-sales", ("24,050천원",)),
    ("h2-lake", ("고양호수마켓", "수제품활성화를위한특화프리마켓(핸드메이드제품,먹거리,"
                                 "만들기체험등부스20~30개운영)")),
    ("h2-lake-place", ("호수공원노래하는분수대광장",)),
    ("h2-lake-days", ("10월30일~31일(토,일)", "11월6일~7일(토,일)", "11월20일~21일(토,일)")),
    ("h2-lake-hours", ("13:00~19:00",)),
    ("h2-lake-sellers", ("참여대상(셀러):수제품작가,사회적경제기업",)),
    ("h2-megashow-2", ("메가쇼2021시즌2", "11.18.(목)~21.(일)", "킨텍스제1전시장2·3·4홀")),
    ("h2-megashow-2-content", ("고양시사회적경제공동관운영(10개기업참가)",)),
    ("h2-megashow-2-p1", ("고양아트마켓공예작가협동조합", "수공예품")),
    ("h2-megashow-2-p2", ("두레협동조합", "수공예품(패브릭,가죽등)")),
    ("h2-megashow-2-p3", ("(주)에이라이프", "농산물가공식품,베이커리")),
    ("h2-megashow-2-p4", ("(주)해피소드", "핸드메이드소품(그림인형,키트등)")),
    ("h2-megashow-2-p5", ("(주)피플월드", "공기정화식물,농수산물")),
    ("h2-megashow-2-p6", ("(주)산천초목팜", "목공수공예제품,화훼")),
    ("h2-megashow-2-p7", ("바늘꽃협동조합", "패브릭제품및주얼리")),
    ("h2-megashow-2-p8", ("해봄사회적협동조합", "제로웨이스트용품및패션의류")),
    ("h2-megashow-2-p9", ("나루코(주)", "마우스패드,인형,양말,문구류,생활용품등")),
    ("h2-megashow-2-p10", ("공예작가협동조합공방라인", "생활예술품")),
    ("h2-megashow-2-call", ("☞참가기업모집9/10~30,총16개사신청,10/6(수)심사후10개기업선정",)),
    # ── 재정지원 (2021. 11. 16. 기준) ──
    ("h2-finance-head", ("사회적경제기업재정지원(2021.11.16.기준)",)),
    ("h2-finance-fund", ("13개기업121백만원",)),
    ("h2-finance-jobs", ("30개기업62명550백만원",)),
    ("h2-finance-insurance", ("9개기업110명147백만원",)),
    # ── 입주공간 하반기 ──
    ("h2-call", ("입주희망기업공모:2021.5.27.~6.16.",)),
    ("h2-call-spaces", ("지원공간", "지축1단지", "지축4단지", "능곡역")),
    ("h2-call-applicants", ("희망기업:4개사(예비사회적기업1,인증사회적기업3)",)),
    ("h2-call-by-space", ("지축4단지2개", "지축1단지2개", "없음")),
    ("h2-call-selected-1", ("(주)에이라이프☞지축4단지8월입주완료",)),
    ("h2-call-selected-2", ("(주)에스엔소프트☞지축1단지12월입주예정",)),
    ("h2-call-returned", ("입주희망기업이없어반납(7월)",)),
    ("h2-roster-head", ("지원공간현황",)),
    ("h2-roster-korail", ("철도역사내유휴공간(3개역사내4개공간)", "능곡역공간반납")),
    ("h2-roster-rent", ("임대료:연납임대료,월납공공요금등기업부담", "1/4~1/2수준임대료책정")),
    ("h2-roster-term", ("최초2년계약,1년단위심사를통해연장가능(최대5년)",)),
    ("h2-roster-1", ("백마역1번출구", "138.62㎡", "다시시작", "임차:국립암센터", "5,665천원",
                     "5,732천원", "5,399천원")),
    ("h2-roster-2",
     ("백마역2번출구", "웍스994", "2021.8.15.~12.25.", "예비지정만료일", "5,661천원", "2,072천원")),
    ("h2-roster-3",
     ("행신역1층", "128.67㎡", "나루코(주)", "2019.9.1.~", "8,492천원", "8,509천원", "8,778천원")),
    ("h2-roster-4",
     ("원흥역맞이방", "41㎡", "인성소통협회", "3,676천원", "3,797천원", "3,868천원")),
    ("h2-roster-returned", ("능곡역2층", "45㎡", "인피루트", "2019.7.1.~", "입주희망기업없음",
                            "4,109천원", "4,122천원", "공간반납")),
    ("h2-roster-lh",
     ("LH공동주택단지내사회적기업공간(9개단지내9개공간)", "임대료없음,월관리비기업부담")),
    ("h2-lh-1", ("행신2지구4단지", "154㎡", "참다숨교육", "'19.4.25.~'21.4.24.(2년)", "'19.7.")),
    ("h2-lh-2", ("삼송12단지", "125㎡", "(주)감쪽가치", "'19.9.27.~'21.9.26.(2년)", "'19.11.")),
    ("h2-lh-3", ("지축3단지", "105㎡", "(주)숨컴퍼니", "'19.10.")),
    ("h2-lh-4", ("향동1단지", "94㎡", "'20.2.5.~'22.2.4.(2년)", "'20.2.")),
    ("h2-lh-5", ("지축4단지", "(주)에이라이프", "'21.8.2.~'23.8.1.(2년)", "'21.8.")),
    ("h2-lh-6", ("지축1단지", "180㎡", "(주)에스엔소프트", "'21.12.1.~'23.11.30.(2년)", "'21.12.")),
    ("h2-lh-7", ("삼송A12블록", "102㎡", "선정예정", "'22.3.예정")),
    ("h2-lh-8", ("삼송A24블록", "75㎡", "선정예정")),
    ("h2-lh-9", ("덕은A1블록", "95㎡", "'22.4.예정")),
    # ── 사회서비스 하반기 ──
    ("h2-social-name", ("사업명:고양해피케어",)),
    ("h2-social-purpose", ("암환자낙상방지와정서문제해결을위한사회서비스제공",)),
    ("h2-social-members", ("고양시,사회적경제지원센터,국립암센터,5개사회적경제기업",)),
    ("h2-social-budget", ("50,000천원(국비35,000천원,시비15,000천원)",)),
    ("h2-social-results", ("2021년하반기사업실적",)),
    ("h2-social-manual", ("서비스매뉴얼고도화,서비스수요및이용자만족도조사(12월중)",)),
    ("h2-social-symposium", ("국립암센터심포지엄(12.2.)을통해사례발표",)),
    ("h2-social-line-1", ("해피에이징", "낙상방지용품설치", "10가구")),
    ("h2-social-line-2", ("위드메이스", "이송동행서비스", "이송140회", "동행16회")),
    ("h2-social-line-3", ("올리브앤제핏토", "깔끔미서비스", "3개기업")),
    ("h2-social-line-4", ("정서돌봄서비스", "메이트양성10명")),
    # ── 한마당, 전시홍보관 ──
    ("h2-festival", ("2021고양시사회적경제와함께하는기부문화확산페스티벌", "It'sOK!")),
    ("h2-festival-when", ("2021.11.13.(토)13시~20시",)),
    ("h2-festival-content",
     ("사회적경제홍보및체험,기부홍보및바자회,이벤트게임,문화공연,'너뿐이야'패션쇼",)),
    ("h2-festival-brand", ("'너뿐이야'는고양시사회적경제수제품공동브랜드",)),
    ("h2-festival-partner", ("고양시사회복지협의회'고양희망나눔동행한마당'과콜라보행사",)),
    ("h2-hall-where", ("고양시덕양구화중로104번길33",)),
    ("h2-hall-building", ("덕양구청외부창고(단층가설건축물)일부리모델링",)),
    ("h2-hall-works", ("2021.11.15.~12.22.",)),
    ("h2-hall-area", ("124.89㎡(약38평)",)),
    ("h2-hall-rooms", ("전시실", "(15평)", "사회적경제기업제품전시홍보", "공유사무실", "(8평)")),
    # ── 우선구매 하반기 ──
    ("h2-grade", ("사회적경제우선구매율지표'S'등급",)),
    ("h2-grade-eval", ("경기도시군종합평가9월말기준S등급달성",)),
    ("h2-grade-amount", ("9월말기준구매액76억(4.56%)",)),
    ("h2-grade-target", ("정부합동평가대비연말까지사회적경제우선구매목표액100억(4.5%)",)),
    ("h2-buyer-course", ("사회적경제공공구매담당자교육실시", "2021.7.29.(목)14:00~16:00")),
    ("h2-buyer-place", ("비대면실시간온라인교육(온나라PC영상회의시스템)",)),
    ("h2-buyer-audience", ("부서회계,물품및용역구매담당자등", "75명")),
    ("h2-buyer-content",
     ("사회적경제의이해,사회적경제와공공기관우선구매,공공기관과사회적거버넌스사례",)),
    ("h2-saeol", ("새올행정시스템시정공유방홍보",)),
    ("h2-saeol-1", ("사회적경제부서별구매실적및구매방법안내(7.16.)",)),
    ("h2-saeol-2", ("사회적경제부서별구매실적및구매방법안내(8.6.)",)),
    ("h2-saeol-3", ("사회적경제부서별구매실적및구매방법안내(9.3.)",)),
    ("h2-saeol-4", ("사회적경제부서별구매실적및구매방법안내(10.6.)",)),
    ("h2-saeol-5", ("사회적경제부서별구매실적및구매방법안내(11.8.)",)),
    ("h2-related", ("고양시사회적기업의교육서비스사업홍보요청(10.8.)", "경기도고양교육지원청")),
    ("h2-book", ("사회적경제기업홍보책자제작및배부(10.15.)",)),
    ("h2-book-title", ("책자명:2021사회적경제고양시사회적경제기업",)),
    ("h2-book-copies", ("수량:2,000부",)),
    ("h2-book-to",
     ("고양시전부서및산하기관,고양교육지원청전부서,관내각급학교,공공기관,유관기관등",)),
    ("h2-youtube-plan", ("고양시사회적경제소식과기업소개영상제작(월2회화요일게시)",)),
    ("h2-youtube-count", ("2021년하반기게시영상물(11월기준10개)",)),
    ("h2-video-1", ("7.13.", "라이더들의행복한동행을위한노력\"㈜구민초대표은창만\"")),
    ("h2-video-2", ("7.27.", "2021년고양시사회적경제상반기정리영상")),
    ("h2-video-3", ("8.10.", "그녀들이함께하는방식\"해봄사회적협동조합\"")),
    ("h2-video-4", ("8.24.", "마음을전하는디자인캘리옴")),
    ("h2-video-5", ("9.7.", "여성들의희망이되어줄(주)물루랄라")),
    ("h2-video-6", ("9.14.", "고양시랜선상회라이브커머스스케치")),
    ("h2-video-7", ("9.28.", "사회적경제제품과함께하는브이로그AllAroundMe,SocialEconomy")),
    ("h2-video-8", ("10.12.", "사회적응이의응원!!!")),
    ("h2-video-9", ("11.2.", "미스터션샤인\"배우김동균\"과함께하는사회적경제라이브커머스")),
    ("h2-video-10", ("11.9.", "2021고양시사회적경제판로지원사업\"꿈길마켓\"")),
    # ── 추진 계획 (2022년 상반기) ──
    ("plan-row", ("추진계획", "향후추진계획", "2022년상반기")),
    ("plan-academy",
     ("시민대상사회적경제의이해,창업교육실시(기초과정,심화과정,찾아가는아카데미)",)),
    ("plan-youth", ("관내중고등학교학생대상청소년교육실시",)),
    ("plan-staff", ("재직자역량강화교육추진",)),
    ("plan-consulting", ("사회적경제기업설립,인증/지정,성장지원기초·심화컨설팅(1:1맞춤)추진",)),
    ("plan-startup", ("고양시사회적기업으로창업을원하는사업자모집공고",)),
    ("plan-sales-1", ("사회적경제장터개최",)),
    ("plan-sales-2", ("국내유명전시회참가지원",)),
    ("plan-sales-3", ("대규모점포내상설공동판매장입점,온라인마케팅추진",)),
    ("plan-budget", ("2022년예산(국도비보조금가내시)현황",)),
    ("plan-budget-figures", ("143,818천원", "840,292천원", "155,696천원")),
    ("plan-space", ("LH삼송12·24블록,덕은1블록입주희망기업모집공고및선정",)),
    ("plan-purchase-1", ("2022년사회적경제우선구매활성화계획",)),
    ("plan-purchase-2", ("2022년사회적경제제품우선구매율평가계획수립",)),
    ("plan-purchase-3", ("주요사업부서맞춤형상담을통한우선구매연계",)),
    ("plan-purchase-4", ("고양시사회적경제기업상품카탈로그유관기관배부및전국지자체지속적홍보",)),
    ("plan-purchase-5", ("부서직접방문또는전화를통한우선구매독려",)),
    ("plan-purchase-6",
     ("새올행정시스템시정공유방활용부서별사회적경제우선구매율,구매액공개등을통한독려",)),
    # ── items the seed writes in its own words (tests/seed_coverage.py found them) ──
    ("h1-startup-online-days", ("기초과정온라인7차(6.14.~25.)10시간교육",)),
    ("h1-startup-consulting-line", ("심화컨설팅:6.29.6개팀참여(1개팀불참☞7월예정)",)),
    ("h1-megashow-1-head", ("사회적경제기업전시회참가지원", "전시회명:메가쇼2021시즌1")),
    ("h1-space-korail-works", ("7월~9월:입주공간전기·통신,벽·바닥공사",
                               "9월~10월:간판,인테리어공사",
                               "9월~10월:5개선정기업입주완료")),
    ("h1-purchase-2019-course-all", ("전부서를대상으로사회적경제우선구매교육실시(2019.4.)",)),
    ("h1-visit-2020-monthly", ("전부서방문및전화를통한우선구매독려(매월)",)),
    ("h1-related-2021-audience",
     ("경기도고양교육지원청대상고양시사회적경제제품우선구매홍보요청(2.18.)",
      "고양시전부서,산하기관대상고양시사회적경제제품우선구매협조요청(3.10.)")),
    ("h2-visit-changed",
     ("②국립암센터(온라인Zoom으로변경)", "③자치공동체지원센터(온라인Zoom으로변경)")),
    ("h2-visit-online",
     ("④국립암센터(온라인Zoom으로진행)", "⑤자치공동체지원센터(온라인Zoom으로진행)")),
    ("h2-youth-total", ("사회적경제청소년교육:7개중·고등학교9회총376명",)),
    ("h2-startup-title", ("사회적기업창업지원사업*(사회적기업발굴·육성)",)),
    ("h2-live-head", ("라이브커머스지원", "내용:고양시협동조합협의회유튜브라이브커머스운영지원")),
    ("h2-market-head", ("사회적경제꿈길마켓※코로나19로지연되어10월20일부터3주간8회운영",)),
    ("h2-market-total", ("매출액:총24,050천원",)),
    ("h2-megashow-2-head", ("전시회명:메가쇼2021시즌2",)),
    ("h2-finance-header", ("일자리창출지원(매월25일지급)", "사회보험료지원(매월25일지급)")),
    ("h2-call-spaces-seed", ("지원공간:LH지축1·4단지내각1개소",)),
    ("h2-call-building",
     ("지축4단지2개,지축1단지2개,능곡역없음", "※능곡역은입주희망기업이없어반납(7월)")),
    ("h2-lh-agreements", ("(154㎡)2018.12.참다숨교육", "(125㎡)2019.6.(주)감쪽가치",
                          "(180㎡)2020.9.(주)에스엔소프트", "(95㎡)2020.12.선정예정")),
    ("h2-social-head", ("사회서비스분야사회적경제기업육성지원*",)),
    ("h2-social-footnote",
     ("*보건복지부주관사회적경제컨소시엄공모시범사업으로,사회적경제조직을지역사회서비스의"
      "공급주체로육성하여사회안전망사각지대해소및선도적인사회서비스제공을목적으로함.",)),
    ("h2-youtube-head", ("고양시사회적경제유튜브채널운영(2020.3.개설)",)),
    ("plan-budget-header", ("사업개발비지원", "일자리창출지원", "사회보험료지원")),
    # ── 시민참여, 투자계획, 확보(집행)액, 문제점 및 개선대책 ──
    ("tail-participation", ("시민참여(소통)실적", "언론/방송보도")),
    ("tail-plan", ("연도별투자계획(사업비)", "3,605", "625", "820", "720")),
    ("tail-plan-national", ("462", "105", "119")),
    ("tail-plan-province", ("143.5", "12.5")),
    ("tail-plan-city", ("2,999.5", "612.5", "680", "569")),
    ("tail-secured", ("연도별확보(집행)액", "2,964", "625(577)", "820(635)", "720(518)", "799")),
    ("tail-secured-national", ("308", "105(100)", "119(115)", "84")),
    ("tail-secured-province", ("111.5", "12.5(12.2)", "35(30)", "32(24)")),
    ("tail-secured-city", ("2,544.5", "612.5", "(564.8)", "680(505)", "569(379)", "683")),
    ("tail-problem-1", ("코로나19영향으로교육및컨설팅,판로개척사업진행이원활하지않음.",)),
    ("tail-problem-2", ("대부분의사회적경제기업이저조한매출로영세한상태에머물고있음.",)),
    ("tail-problem-3", ("제품의경쟁력과기업의자생력확보를위한기업의자체노력이절실함.",)),
    ("tail-problem-4", ("대규모점포등판로개척에대한적극적지원에도제품의경쟁력을갖추지못한다수의업체"
                        "가판매장입점을주저함",)),
    ("tail-measure-1", ("온라인활용하여대면최소화방향으로사업진행",)),
    ("tail-measure-2", ("아카데미교육온라인으로대체", "가급적유선으로기초컨설팅진행",
                        "대면교육또는컨설팅시방역지침준수철저")),
    ("tail-measure-3", ("판로개척,네트워크등집합행사는코로나19상황별로진행준비",)),
    ("tail-measure-4", ("사회적경제기업의성장을위한전문가맞춤형컨설팅·교육확대추진",)),
    ("tail-measure-5", ("회계담당자대상'사회적경제기업공공구매교육'실시",)),
    ("tail-measure-6", ("사회적경제기업(마을기업,사회적협동조합,예비사회적기업,사회적기업)"
                        "제품의공공기관우선구매독려",)),
]

# What no report may print: messages to the clerk and template artefacts.
CLERK_TEXT = ("해당기간에입력한", "해당기간의기록이없습니다", "은(는)", "이(가)", "을(를)",
              "과(와)", "(으)로")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    database = open_demo(tmp_path_factory.mktemp("document"))
    yield database
    database.close()


def _pdftotext(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                         text=True, check=True)
    return out.stdout


@pytest.fixture(scope="module")
def document_pdf(demo, tmp_path_factory):
    """The whole 2021 document as of the demo's stored 기준일."""
    out = tmp_path_factory.mktemp("pdf") / "2021년 공약이행실적.pdf"
    api.export_report(demo, Period.half_of(2021, 1), out, last=Period.half_of(2021, 2))
    return out


@pytest.fixture(scope="module")
def document(document_pdf):
    """The whole document read back by pdftotext in the order it is drawn (-raw): a table
    cell's lines stay together instead of being interleaved with the next cell's."""
    return seed_coverage.pdftotext(document_pdf)


@pytest.fixture(scope="module")
def coverage(document):
    """The seed's items checked against the document, each in its own period's text."""
    return seed_coverage.compare(document)


def test_every_seed_item_holds_in_its_period(coverage):
    """The outside check: each seed item, its figures and words, in the right row's text.

    The video table's '날짜 | 콘텐츠 제목 | 썸네일' header too: the demo stores a title card
    per video (demo-made), so the report prints its 썸네일 column as the seed does."""
    missing = [f"L{r.item.line} {r.item.period} {r.item.text[:60]}: {r.missing}"
               for r in coverage if r.status == "missing"]
    assert missing == []
    assert len(coverage) > 380  # the seed cut into items (a parser that lost some fails)


def test_the_seed_items_are_mostly_word_for_word(coverage):
    """All but a few items print exactly as the seed writes them (in their period)."""
    exact = sum(r.status == "exact" for r in coverage)
    assert exact >= 375, [r.item.text[:50] for r in coverage if r.status != "exact"]


def test_the_check_finds_a_missing_figure():
    """The check itself: a period's text without a seed figure fails that item."""
    items = [i for i in seed_coverage.seed_items() if "4.13." in i.text]
    text = "하반기추진실적(2021.7.~12.실적)추진계획(향후추진계획)□시민참여(소통)실적"
    assert items and seed_coverage.check(items[0], text).status == "missing"
    good = "접수및선정:10개사접수및대면심사(4.13.)"
    assert seed_coverage.check(items[0], good).status == "exact"


@pytest.mark.parametrize("item, fragments", SEED_ITEMS, ids=[i for i, _ in SEED_ITEMS])
def test_the_document_holds_the_seed_item(document, item, fragments):
    text = squash(document)
    missing = [frag for frag in fragments if squash(frag) not in text]
    assert not missing, f"{item}: not in the document: {missing}"


def test_the_document_prints_no_clerk_message(document):
    text = squash(document)
    assert [t for t in CLERK_TEXT if t in text] == []


def test_the_document_prints_what_the_seed_prints_once(document):
    """No clerk's 만료 임박 warning in the report; no carried (이월) marks the seed lacks;
    the YouTube lines once (they were printed twice)."""
    text = squash(document)
    assert "만료임박" not in text  # the roster export keeps it; the report is as of its 기준일
    for cell in ("9개팀※", "8회※", "222백만원※", "71,922천원※"):
        assert cell not in text
    assert "9개팀" in text and "222백만원" in text
    assert text.count("고양시사회적경제소식과기업소개영상제작(월2회화요일게시)") == 1


def test_the_document_is_as_of_the_stored_report_date(document):
    assert "2021. 11. 16. 기준" in document
    assert "2021. 12. 31. 기준" not in document
    # the invented 2차 payments (dated 12. 10.) and scores are after the 기준일
    assert "2차(20%) 14,000" not in squash(document) and "14,000천원" not in document


def test_running_totals_as_of_the_seed_date(demo, tmp_path):
    out = tmp_path / "h2.pdf"
    api.export_report(demo, Period.half_of(2021, 2), out, as_of=dt.date(2021, 11, 16))
    text = squash(_pdftotext(out))
    assert "재정지원(2021.11.16.기준)" in text
    for cell in ("13개기업121백만원", "30개기업62명550백만원", "9개기업110명147백만원"):
        assert cell in text
    # later the same records give the year's totals: the 기준일 is what cuts them
    out2 = tmp_path / "h2-end.pdf"
    api.export_report(demo, Period.half_of(2021, 2), out2, as_of=dt.date(2021, 12, 31))
    assert "13개기업158백만원" in squash(_pdftotext(out2))


def test_roster_as_of_june_lists_only_started_contracts(demo, tmp_path):
    out = tmp_path / "roster.pdf"
    api.export_roster(demo, dt.date(2021, 6, 30), out)
    text = _pdftotext(out)
    assert "(주)에이라이프" in text and "(주)에스엔소프트" in text
    assert squash(text).count("(입주예정)") == 2
    assert "'21.8. 예정" in text and "'21.12. 예정" in text


def test_a_term_that_ended_is_not_current(demo, tmp_path):
    out = tmp_path / "roster.pdf"
    api.export_roster(demo, dt.date(2021, 12, 31), out)
    assert "계약종료(2021.12.25.)" in squash(_pdftotext(out))
    api.export_roster(demo, dt.date(2021, 11, 16), out)
    assert "계약종료" not in squash(_pdftotext(out))
