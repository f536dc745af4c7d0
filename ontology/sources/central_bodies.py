"""Central state and party bodies, as data: the source of ``ontology/gazetteer/central.tsv``.

Sources (official, complete lists; works of state organs are not protected by copyright,
Copyright Law of the PRC art. 5):

- 国务院组织机构 (State Council organisation list), https://www.gov.cn/guowuyuan/zuzhijigou.htm ,
  as it stands after the 2023 reform;
- 国务院机构改革方案 (2018-03-17), https://www.gov.cn/guowuyuan/2018-03/17/content_5275116.htm ;
- 党和国家机构改革方案 (2023-03-16), https://www.gov.cn/zhengce/2023-03/16/content_5747072.htm ;
- earlier reform plans (1998, 2003, 2008, 2013) for the predecessor names and years;
- official English names as used on english.www.gov.cn;
- the State Council's deliberative and coordinating bodies (国务院议事协调机构), as listed in
  《国务院关于议事协调机构设置的通知》 (国发〔2008〕13号) and later notices, main ones.

Row format (one per line, fields separated by `` | ``, lists by ``;``)::

    id | full name | English name | short forms and aliases | parent id | category | years | successor id | functional stems

``category``: constituent (组成部门), special (直属特设机构), agency (直属机构), office (办事机构),
institution (直属事业单位), bureau (部委管理的国家局), party (党中央机构), state (国家机构),
court, procuratorate, predecessor. ``years``: ``1998-2018`` (a predecessor) or ``2018-`` (current,
created then). ``functional stems``: 教育 gives 国务院教育行政部门 and 国务院教育主管部门 as
names of this body (the functional form laws use).
"""

SOURCE = {
    "name": "国务院组织机构; 国务院机构改革方案 2018; 党和国家机构改革方案 2023",
    "url": "https://www.gov.cn/guowuyuan/zuzhijigou.htm",
    "date": "2023-03-16",
    "licence": "official works of state organs, not protected (Copyright Law of the PRC, art. 5)",
}

ROWS = """
state-council | 国务院 | State Council | 中华人民共和国国务院;The State Council;State Council of the People's Republic of China |  | state |  |  |
general-office-of-the-state-council | 国务院办公厅 | General Office of the State Council | 国办 | state-council | office |  |  |
ministry-of-foreign-affairs | 外交部 | Ministry of Foreign Affairs | 中华人民共和国外交部;MFA | state-council | constituent |  |  | 外交
ministry-of-national-defense | 国防部 | Ministry of National Defense | 中华人民共和国国防部 | state-council | constituent |  |  |
national-development-and-reform-commission | 国家发展和改革委员会 | National Development and Reform Commission | 国家发展改革委;发展改革委;国家发改委;发改委;NDRC | state-council | constituent | 2003- |  | 发展改革;发展和改革;价格;投资
ministry-of-education | 教育部 | Ministry of Education | 中华人民共和国教育部;MOE;Ministry of Education of the People's Republic of China | state-council | constituent | 1998- |  | 教育
ministry-of-science-and-technology | 科学技术部 | Ministry of Science and Technology | 科技部;中华人民共和国科学技术部;MOST | state-council | constituent | 1998- |  | 科学技术;科技
ministry-of-industry-and-information-technology | 工业和信息化部 | Ministry of Industry and Information Technology | 工信部;中华人民共和国工业和信息化部;MIIT | state-council | constituent | 2008- |  | 工业和信息化;工业;信息产业
national-ethnic-affairs-commission | 国家民族事务委员会 | National Ethnic Affairs Commission | 国家民委;民委 | state-council | constituent |  |  | 民族事务;民族工作
ministry-of-public-security | 公安部 | Ministry of Public Security | 中华人民共和国公安部;MPS | state-council | constituent |  |  | 公安
ministry-of-state-security | 国家安全部 | Ministry of State Security | 中华人民共和国国家安全部 | state-council | constituent |  |  | 国家安全
ministry-of-civil-affairs | 民政部 | Ministry of Civil Affairs | 中华人民共和国民政部 | state-council | constituent |  |  | 民政
ministry-of-justice | 司法部 | Ministry of Justice | 中华人民共和国司法部 | state-council | constituent |  |  | 司法行政;司法
ministry-of-finance | 财政部 | Ministry of Finance | 中华人民共和国财政部;MOF | state-council | constituent |  |  | 财政
ministry-of-human-resources-and-social-security | 人力资源和社会保障部 | Ministry of Human Resources and Social Security | 人力资源社会保障部;人社部;中华人民共和国人力资源和社会保障部;MOHRSS | state-council | constituent | 2008- |  | 人力资源社会保障;人力资源和社会保障;劳动;劳动保障;社会保险
ministry-of-natural-resources | 自然资源部 | Ministry of Natural Resources | 中华人民共和国自然资源部;MNR | state-council | constituent | 2018- |  | 自然资源;土地;测绘地理信息
ministry-of-ecology-and-environment | 生态环境部 | Ministry of Ecology and Environment | 中华人民共和国生态环境部;MEE | state-council | constituent | 2018- |  | 生态环境;环境保护
ministry-of-housing-and-urban-rural-development | 住房和城乡建设部 | Ministry of Housing and Urban-Rural Development | 住房城乡建设部;住建部;中华人民共和国住房和城乡建设部;MOHURD | state-council | constituent | 2008- |  | 住房城乡建设;住房和城乡建设;建设
ministry-of-transport | 交通运输部 | Ministry of Transport | 中华人民共和国交通运输部;MOT | state-council | constituent | 2008- |  | 交通运输
ministry-of-water-resources | 水利部 | Ministry of Water Resources | 中华人民共和国水利部;MWR | state-council | constituent |  |  | 水行政;水利
ministry-of-agriculture-and-rural-affairs | 农业农村部 | Ministry of Agriculture and Rural Affairs | 中华人民共和国农业农村部;MARA | state-council | constituent | 2018- |  | 农业农村;农业;渔业;兽医
ministry-of-commerce | 商务部 | Ministry of Commerce | 中华人民共和国商务部;MOFCOM | state-council | constituent | 2003- |  | 商务;对外贸易
ministry-of-culture-and-tourism | 文化和旅游部 | Ministry of Culture and Tourism | 文旅部;中华人民共和国文化和旅游部 | state-council | constituent | 2018- |  | 文化和旅游;文化;旅游
national-health-commission | 国家卫生健康委员会 | National Health Commission | 国家卫生健康委;卫生健康委;国家卫健委;卫健委;NHC | state-council | constituent | 2018- |  | 卫生健康;卫生;卫生行政
ministry-of-veterans-affairs | 退役军人事务部 | Ministry of Veterans Affairs | 中华人民共和国退役军人事务部 | state-council | constituent | 2018- |  | 退役军人事务;退役军人工作
ministry-of-emergency-management | 应急管理部 | Ministry of Emergency Management | 中华人民共和国应急管理部 | state-council | constituent | 2018- |  | 应急管理;安全生产监督管理
peoples-bank-of-china | 中国人民银行 | People's Bank of China | 人民银行;人行;央行;PBC;PBOC | state-council | constituent |  |  |
national-audit-office | 审计署 | National Audit Office | 中华人民共和国审计署;NAO | state-council | constituent |  |  | 审计
sasac | 国务院国有资产监督管理委员会 | State-owned Assets Supervision and Administration Commission of the State Council | 国务院国资委;国资委;SASAC | state-council | special | 2003- |  | 国有资产监督管理
general-administration-of-customs | 海关总署 | General Administration of Customs | 中华人民共和国海关总署;GACC | state-council | agency |  |  |
state-taxation-administration | 国家税务总局 | State Taxation Administration | 税务总局;STA | state-council | agency |  |  | 税务
state-administration-for-market-regulation | 国家市场监督管理总局 | State Administration for Market Regulation | 市场监管总局;国家市场监管总局;SAMR | state-council | agency | 2018- |  | 市场监督管理;市场监管;产品质量监督;标准化行政;认证认可监督管理;工商行政管理
national-financial-regulatory-administration | 国家金融监督管理总局 | National Financial Regulatory Administration | 金融监管总局;国家金融监管总局;NFRA | state-council | agency | 2023- |  | 金融监督管理;金融监管;银行保险监督管理;银行业监督管理;保险监督管理
china-securities-regulatory-commission | 中国证券监督管理委员会 | China Securities Regulatory Commission | 证监会;中国证监会;CSRC | state-council | agency |  |  | 证券监督管理
national-radio-and-television-administration | 国家广播电视总局 | National Radio and Television Administration | 广电总局;国家广电总局;NRTA | state-council | agency | 2018- |  | 广播电视
general-administration-of-sport | 国家体育总局 | General Administration of Sport of China | 体育总局 | state-council | agency | 1998- |  | 体育
national-public-complaints-and-proposals-administration | 国家信访局 | National Public Complaints and Proposals Administration |  | state-council | agency |  |  | 信访
national-bureau-of-statistics | 国家统计局 | National Bureau of Statistics | 统计局;NBS | state-council | agency |  |  | 统计
china-national-intellectual-property-administration | 国家知识产权局 | China National Intellectual Property Administration | 知识产权局;CNIPA | state-council | agency |  |  | 专利;知识产权;商标
china-international-development-cooperation-agency | 国家国际发展合作署 | China International Development Cooperation Agency | 国际发展合作署;CIDCA | state-council | agency | 2018- |  |
national-healthcare-security-administration | 国家医疗保障局 | National Healthcare Security Administration | 国家医保局;医保局;医疗保障局;NHSA | state-council | agency | 2018- |  | 医疗保障
counsellors-office-of-the-state-council | 国务院参事室 | Counsellors' Office of the State Council |  | state-council | agency |  |  |
national-government-offices-administration | 国家机关事务管理局 | National Government Offices Administration | 国管局 | state-council | agency |  |  | 机关事务
research-office-of-the-state-council | 国务院研究室 | Research Office of the State Council |  | state-council | office |  |  |
hong-kong-and-macao-affairs-office | 国务院港澳事务办公室 | Hong Kong and Macao Affairs Office of the State Council | 国务院港澳办;港澳办 | state-council | office |  |  |
taiwan-affairs-office | 国务院台湾事务办公室 | Taiwan Affairs Office of the State Council | 国务院台办;国台办 | state-council | office |  |  |
state-council-information-office | 国务院新闻办公室 | State Council Information Office | 国务院新闻办;国新办;SCIO | state-council | office |  |  |
cyberspace-administration-of-china | 国家互联网信息办公室 | Cyberspace Administration of China | 国家网信办;网信办;CAC | state-council | office | 2011- |  | 网信;互联网信息
overseas-chinese-affairs-office | 国务院侨务办公室 | Overseas Chinese Affairs Office of the State Council | 国务院侨办;侨办 | state-council | predecessor | -2018 | united-front-work-department |
legislative-affairs-office-of-the-state-council | 国务院法制办公室 | Legislative Affairs Office of the State Council | 国务院法制办;法制办 | state-council | predecessor | -2018 | ministry-of-justice | 法制
xinhua-news-agency | 新华通讯社 | Xinhua News Agency | 新华社 | state-council | institution |  |  |
chinese-academy-of-sciences | 中国科学院 | Chinese Academy of Sciences | 中科院;CAS | state-council | institution |  |  |
chinese-academy-of-social-sciences | 中国社会科学院 | Chinese Academy of Social Sciences | 中国社科院;社科院;CASS | state-council | institution |  |  |
chinese-academy-of-engineering | 中国工程院 | Chinese Academy of Engineering | CAE | state-council | institution |  |  |
development-research-center-of-the-state-council | 国务院发展研究中心 | Development Research Center of the State Council | 国研中心;DRC | state-council | institution |  |  |
china-media-group | 中央广播电视总台 | China Media Group | CMG | state-council | institution | 2018- |  |
china-meteorological-administration | 中国气象局 | China Meteorological Administration | 气象局;CMA | state-council | institution |  |  | 气象
chinese-academy-of-governance | 国家行政学院 | Chinese Academy of Governance |  | state-council | institution |  |  |
china-banking-and-insurance-regulatory-commission | 中国银行保险监督管理委员会 | China Banking and Insurance Regulatory Commission | 银保监会;中国银保监会;CBIRC | state-council | predecessor | 2018-2023 | national-financial-regulatory-administration | 银行保险监督管理;银行业监督管理;保险监督管理
national-food-and-strategic-reserves-administration | 国家粮食和物资储备局 | National Food and Strategic Reserves Administration | 国家粮食和储备局;粮食和储备局 | national-development-and-reform-commission | bureau | 2018- |  | 粮食和物资储备;粮食和储备;粮食
national-energy-administration | 国家能源局 | National Energy Administration | 能源局;NEA | national-development-and-reform-commission | bureau | 2008- |  | 能源
national-data-administration | 国家数据局 | National Data Administration | 数据局;NDA | national-development-and-reform-commission | bureau | 2023- |  | 数据
sastind | 国家国防科技工业局 | State Administration of Science, Technology and Industry for National Defense | 国防科工局;SASTIND | ministry-of-industry-and-information-technology | bureau | 2008- |  | 国防科技工业
state-tobacco-monopoly-administration | 国家烟草专卖局 | State Tobacco Monopoly Administration | 烟草专卖局 | ministry-of-industry-and-information-technology | bureau |  |  | 烟草专卖
national-immigration-administration | 国家移民管理局 | National Immigration Administration | 国家移民局 | ministry-of-public-security | bureau | 2018- |  | 移民管理
national-forestry-and-grassland-administration | 国家林业和草原局 | National Forestry and Grassland Administration | 国家林草局;林草局;林业和草原局 | ministry-of-natural-resources | bureau | 2018- |  | 林业草原;林业和草原;林业;草原
national-railway-administration | 国家铁路局 | National Railway Administration | 铁路局 | ministry-of-transport | bureau | 2013- |  | 铁路
civil-aviation-administration-of-china | 中国民用航空局 | Civil Aviation Administration of China | 民航局;中国民航局;CAAC | ministry-of-transport | bureau | 2008- |  | 民用航空
state-post-bureau | 国家邮政局 | State Post Bureau | 邮政局 | ministry-of-transport | bureau |  |  | 邮政
national-cultural-heritage-administration | 国家文物局 | National Cultural Heritage Administration | 文物局 | ministry-of-culture-and-tourism | bureau |  |  | 文物
national-administration-of-traditional-chinese-medicine | 国家中医药管理局 | National Administration of Traditional Chinese Medicine | 国家中医药局;中医药局;NATCM | national-health-commission | bureau |  |  | 中医药
national-disease-control-and-prevention-administration | 国家疾病预防控制局 | National Disease Control and Prevention Administration | 国家疾控局;疾控局 | national-health-commission | bureau | 2021- |  | 疾病预防控制;疾病预防控制主管
national-mine-safety-administration | 国家矿山安全监察局 | National Mine Safety Administration | 国家矿山安监局;矿山安监局 | ministry-of-emergency-management | bureau | 2020- |  | 矿山安全监察
national-fire-and-rescue-administration | 国家消防救援局 | National Fire and Rescue Administration | 消防救援局 | ministry-of-emergency-management | bureau | 2023- |  | 消防救援
state-administration-of-foreign-exchange | 国家外汇管理局 | State Administration of Foreign Exchange | 外汇局;国家外汇局;SAFE | peoples-bank-of-china | bureau |  |  | 外汇管理
national-medical-products-administration | 国家药品监督管理局 | National Medical Products Administration | 国家药监局;药监局;NMPA | state-administration-for-market-regulation | bureau | 2018- |  | 药品监督管理;药品监管
national-civil-service-administration | 国家公务员局 | National Civil Service Administration | 公务员局 | organization-department | bureau | 2008- |  | 公务员
national-archives-administration | 国家档案局 | National Archives Administration of China | 档案局 | general-office-of-the-cpc-central-committee | bureau |  |  | 档案
national-administration-of-state-secrets-protection | 国家保密局 | National Administration of State Secrets Protection | 保密局 | general-office-of-the-cpc-central-committee | bureau |  |  | 保密
state-cryptography-administration | 国家密码管理局 | State Cryptography Administration | 密码管理局 | general-office-of-the-cpc-central-committee | bureau |  |  | 密码管理
china-national-space-administration | 国家航天局 | China National Space Administration | CNSA | sastind | bureau |  |  |
china-atomic-energy-authority | 国家原子能机构 | China Atomic Energy Authority | CAEA | sastind | bureau |  |  | 核工业
national-press-and-publication-administration | 国家新闻出版署 | National Press and Publication Administration | 新闻出版署 | publicity-department | bureau | 2018- |  | 出版;新闻出版
national-copyright-administration | 国家版权局 | National Copyright Administration | 版权局 | publicity-department | bureau |  |  | 著作权;版权
china-film-administration | 国家电影局 | China Film Administration | 电影局 | publicity-department | bureau | 2018- |  | 电影
national-religious-affairs-administration | 国家宗教事务局 | National Religious Affairs Administration | 国家宗教局;宗教局 | united-front-work-department | bureau |  |  | 宗教事务
standardization-administration | 国家标准化管理委员会 | Standardization Administration of China | 国家标准委;SAC | state-administration-for-market-regulation | bureau |  |  |
certification-and-accreditation-administration | 国家认证认可监督管理委员会 | Certification and Accreditation Administration | 国家认监委;CNCA | state-administration-for-market-regulation | bureau |  |  |
national-natural-science-foundation | 国家自然科学基金委员会 | National Natural Science Foundation of China | 自然科学基金委;国家自然科学基金委;NSFC | ministry-of-science-and-technology | bureau |  |  |
state-administration-of-foreign-experts-affairs | 国家外国专家局 | State Administration of Foreign Experts Affairs | 外国专家局 | ministry-of-science-and-technology | bureau |  |  |
national-rural-revitalization-administration | 国家乡村振兴局 | National Rural Revitalization Administration | 乡村振兴局 | state-council | predecessor | 2021-2023 | ministry-of-agriculture-and-rural-affairs | 乡村振兴
poverty-alleviation-office | 国务院扶贫开发领导小组办公室 | State Council Leading Group Office of Poverty Alleviation and Development | 国务院扶贫办;扶贫办 | state-council | predecessor | 1986-2021 | national-rural-revitalization-administration | 扶贫开发
state-education-commission | 国家教育委员会 | State Education Commission | 国家教委 | state-council | predecessor | 1985-1998 | ministry-of-education |
state-planning-commission | 国家发展计划委员会 | State Development Planning Commission | 国家计划委员会;国家计委 | state-council | predecessor | 1952-2003 | national-development-and-reform-commission | 计划
state-economic-and-trade-commission | 国家经济贸易委员会 | State Economic and Trade Commission | 国家经贸委 | state-council | predecessor | 1993-2003 | ministry-of-commerce | 经济贸易
state-commission-for-restructuring-the-economy | 国家经济体制改革委员会 | State Commission for Restructuring the Economic Systems | 国家体改委 | state-council | predecessor | 1982-1998 | national-development-and-reform-commission |
state-science-and-technology-commission | 国家科学技术委员会 | State Science and Technology Commission | 国家科委 | state-council | predecessor | 1958-1998 | ministry-of-science-and-technology |
state-physical-culture-and-sports-commission | 国家体育运动委员会 | State Physical Culture and Sports Commission | 国家体委 | state-council | predecessor | 1952-1998 | general-administration-of-sport |
ministry-of-labour-and-social-security | 劳动和社会保障部 | Ministry of Labour and Social Security | 劳动保障部 | state-council | predecessor | 1998-2008 | ministry-of-human-resources-and-social-security |
ministry-of-labour | 劳动部 | Ministry of Labour |  | state-council | predecessor | 1949-1998 | ministry-of-labour-and-social-security | 劳动行政
ministry-of-personnel | 人事部 | Ministry of Personnel |  | state-council | predecessor | 1988-2008 | ministry-of-human-resources-and-social-security | 人事
ministry-of-information-industry | 信息产业部 | Ministry of Information Industry |  | state-council | predecessor | 1998-2008 | ministry-of-industry-and-information-technology |
ministry-of-construction | 建设部 | Ministry of Construction |  | state-council | predecessor | 1988-2008 | ministry-of-housing-and-urban-rural-development |
ministry-of-railways | 铁道部 | Ministry of Railways |  | state-council | predecessor | 1949-2013 | national-railway-administration |
ministry-of-health | 卫生部 | Ministry of Health |  | state-council | predecessor | 1949-2013 | national-health-and-family-planning-commission |
national-health-and-family-planning-commission | 国家卫生和计划生育委员会 | National Health and Family Planning Commission | 国家卫生计生委;卫生计生委 | state-council | predecessor | 2013-2018 | national-health-commission | 卫生计生;卫生和计划生育
national-population-and-family-planning-commission | 国家人口和计划生育委员会 | National Population and Family Planning Commission | 国家人口计生委;国家计划生育委员会;国家计生委 | state-council | predecessor | 1981-2013 | national-health-and-family-planning-commission | 人口和计划生育;计划生育
ministry-of-culture | 文化部 | Ministry of Culture |  | state-council | predecessor | 1949-2018 | ministry-of-culture-and-tourism |
china-national-tourism-administration | 国家旅游局 | China National Tourism Administration |  | state-council | predecessor | 1982-2018 | ministry-of-culture-and-tourism |
ministry-of-agriculture | 农业部 | Ministry of Agriculture |  | state-council | predecessor | 1949-2018 | ministry-of-agriculture-and-rural-affairs |
ministry-of-land-and-resources | 国土资源部 | Ministry of Land and Resources |  | state-council | predecessor | 1998-2018 | ministry-of-natural-resources | 国土资源
state-oceanic-administration | 国家海洋局 | State Oceanic Administration |  | state-council | predecessor | 1964-2018 | ministry-of-natural-resources | 海洋
national-administration-of-surveying-mapping-and-geoinformation | 国家测绘地理信息局 | National Administration of Surveying, Mapping and Geoinformation | 国家测绘局 | state-council | predecessor | 1956-2018 | ministry-of-natural-resources | 测绘
ministry-of-environmental-protection | 环境保护部 | Ministry of Environmental Protection | 环保部 | state-council | predecessor | 2008-2018 | ministry-of-ecology-and-environment |
state-environmental-protection-administration | 国家环境保护总局 | State Environmental Protection Administration | 环保总局;国家环保总局 | state-council | predecessor | 1998-2008 | ministry-of-environmental-protection |
ministry-of-supervision | 监察部 | Ministry of Supervision |  | state-council | predecessor | 1987-2018 | national-commission-of-supervision | 监察
state-administration-for-industry-and-commerce | 国家工商行政管理总局 | State Administration for Industry and Commerce | 工商总局;国家工商总局 | state-council | predecessor | 1978-2018 | state-administration-for-market-regulation |
aqsiq | 国家质量监督检验检疫总局 | General Administration of Quality Supervision, Inspection and Quarantine | 质检总局;国家质检总局 | state-council | predecessor | 2001-2018 | state-administration-for-market-regulation | 质量监督检验检疫
china-food-and-drug-administration | 国家食品药品监督管理总局 | China Food and Drug Administration | 食品药品监管总局;国家食品药品监管总局 | state-council | predecessor | 2013-2018 | state-administration-for-market-regulation | 食品药品监督管理
state-food-and-drug-administration | 国家食品药品监督管理局 | State Food and Drug Administration | 国家食品药品监管局 | state-council | predecessor | 2003-2013 | china-food-and-drug-administration |
state-administration-of-work-safety | 国家安全生产监督管理总局 | State Administration of Work Safety | 安全监管总局;国家安全监管总局 | state-council | predecessor | 2005-2018 | ministry-of-emergency-management |
state-administration-of-coal-mine-safety | 国家煤矿安全监察局 | State Administration of Coal Mine Safety | 煤矿安监局 | state-council | predecessor | 1999-2020 | national-mine-safety-administration | 煤矿安全监察
sapprft | 国家新闻出版广电总局 | State Administration of Press, Publication, Radio, Film and Television | 新闻出版广电总局 | state-council | predecessor | 2013-2018 | national-radio-and-television-administration |
sarft | 国家广播电影电视总局 | State Administration of Radio, Film and Television | 广播电影电视总局 | state-council | predecessor | 1998-2013 | sapprft | 广播电影电视
gapp | 国家新闻出版总署 | General Administration of Press and Publication | 新闻出版总署 | state-council | predecessor | 2001-2013 | sapprft |
china-banking-regulatory-commission | 中国银行业监督管理委员会 | China Banking Regulatory Commission | 银监会;中国银监会;CBRC | state-council | predecessor | 2003-2018 | china-banking-and-insurance-regulatory-commission |
china-insurance-regulatory-commission | 中国保险监督管理委员会 | China Insurance Regulatory Commission | 保监会;中国保监会;CIRC | state-council | predecessor | 1998-2018 | china-banking-and-insurance-regulatory-commission |
state-electricity-regulatory-commission | 国家电力监管委员会 | State Electricity Regulatory Commission | 电监会;国家电监会 | state-council | predecessor | 2002-2013 | national-energy-administration | 电力监管
state-administration-of-grain | 国家粮食局 | State Administration of Grain |  | state-council | predecessor | 2000-2018 | national-food-and-strategic-reserves-administration |
state-forestry-administration | 国家林业局 | State Forestry Administration |  | state-council | predecessor | 1998-2018 | national-forestry-and-grassland-administration |
general-administration-of-civil-aviation | 中国民用航空总局 | General Administration of Civil Aviation of China | 民航总局 | state-council | predecessor | 1987-2008 | civil-aviation-administration-of-china |
china-patent-office | 中华人民共和国专利局 | Patent Office of the People's Republic of China | 中国专利局 | state-council | predecessor | 1980-1998 | china-national-intellectual-property-administration |
cpc-central-committee | 中国共产党中央委员会 | Central Committee of the Communist Party of China | 中共中央;党中央;CPC Central Committee | communist-party-of-china | party |  |  |
general-office-of-the-cpc-central-committee | 中共中央办公厅 | General Office of the CPC Central Committee | 中央办公厅;中办 | cpc-central-committee | party |  |  |
organization-department | 中共中央组织部 | Organization Department of the CPC Central Committee | 中央组织部;中组部 | cpc-central-committee | party |  |  |
publicity-department | 中共中央宣传部 | Publicity Department of the CPC Central Committee | 中央宣传部;中宣部 | cpc-central-committee | party |  |  |
united-front-work-department | 中共中央统一战线工作部 | United Front Work Department of the CPC Central Committee | 中央统战部;中共中央统战部;统战部 | cpc-central-committee | party |  |  |
international-department | 中共中央对外联络部 | International Department of the CPC Central Committee | 中央对外联络部;中联部 | cpc-central-committee | party |  |  |
social-work-department | 中共中央社会工作部 | Social Work Department of the CPC Central Committee | 中央社会工作部 | cpc-central-committee | party | 2023- |  |
central-commission-for-discipline-inspection | 中国共产党中央纪律检查委员会 | Central Commission for Discipline Inspection | 中央纪律检查委员会;中共中央纪律检查委员会;中央纪委;CCDI | communist-party-of-china | party |  |  |
central-political-and-legal-affairs-commission | 中共中央政法委员会 | Central Political and Legal Affairs Commission | 中央政法委员会;中央政法委 | cpc-central-committee | party |  |  |
central-commission-for-deepening-reform | 中央全面深化改革委员会 | Central Commission for Comprehensively Deepening Reform | 中央深改委;中央全面深化改革领导小组 | cpc-central-committee | party | 2018- |  |
central-cyberspace-affairs-commission | 中央网络安全和信息化委员会 | Central Cyberspace Affairs Commission | 中央网信委 | cpc-central-committee | party | 2018- |  |
office-of-the-central-cyberspace-affairs-commission | 中央网络安全和信息化委员会办公室 | Office of the Central Cyberspace Affairs Commission | 中央网信办 | cpc-central-committee | party | 2018- |  |
central-financial-and-economic-affairs-commission | 中央财经委员会 | Central Financial and Economic Affairs Commission | 中央财经委;中央财经领导小组 | cpc-central-committee | party |  |  |
central-foreign-affairs-commission | 中央外事工作委员会 | Central Foreign Affairs Commission | 中央外事委 | cpc-central-committee | party | 2018- |  |
central-national-security-commission | 中央国家安全委员会 | Central National Security Commission | 中央国安委 | cpc-central-committee | party | 2014- |  |
central-committee-for-law-based-governance | 中央全面依法治国委员会 | Central Committee for Comprehensively Governing the Country by Law | 中央依法治国委 | cpc-central-committee | party | 2018- |  |
central-audit-commission | 中央审计委员会 | Central Audit Commission |  | cpc-central-committee | party | 2018- |  |
central-financial-commission | 中央金融委员会 | Central Financial Commission |  | cpc-central-committee | party | 2023- |  |
central-science-and-technology-commission | 中央科技委员会 | Central Science and Technology Commission |  | cpc-central-committee | party | 2023- |  |
central-institutional-organization-commission | 中央机构编制委员会 | Central Institutional Organization Commission | 中央编委 | cpc-central-committee | party |  |  |
office-of-the-central-institutional-organization-commission | 中央机构编制委员会办公室 | Office of the Central Institutional Organization Commission | 中央编办 | cpc-central-committee | party |  |  |
policy-research-office | 中共中央政策研究室 | Policy Research Office of the CPC Central Committee | 中央政策研究室;中央政研室 | cpc-central-committee | party |  |  |
taiwan-work-office | 中共中央台湾工作办公室 | Taiwan Work Office of the CPC Central Committee | 中央台湾工作办公室;中台办 | cpc-central-committee | party |  |  |
hong-kong-and-macao-work-office | 中共中央港澳工作办公室 | Hong Kong and Macao Work Office of the CPC Central Committee | 中央港澳工作办公室 | cpc-central-committee | party | 2023- |  |
party-school | 中共中央党校 | Party School of the Central Committee of the CPC | 中央党校 | cpc-central-committee | party |  |  |
central-rural-work-leading-group | 中央农村工作领导小组 | Central Rural Work Leading Group |  | cpc-central-committee | party |  |  |
central-education-work-leading-group | 中央教育工作领导小组 | Central Leading Group for Education Work |  | cpc-central-committee | party | 2018- |  |
central-guidance-commission-on-spiritual-civilization | 中央精神文明建设指导委员会 | Central Guidance Commission on Building Spiritual Civilization | 中央文明委 | cpc-central-committee | party |  |  |
working-committee-of-central-and-state-organs | 中央和国家机关工作委员会 | Working Committee of Central and State Organs | 中央和国家机关工委 | cpc-central-committee | party |  |  |
institute-of-party-history-and-literature | 中共中央党史和文献研究院 | Institute of Party History and Literature of the CPC Central Committee | 中央党史和文献研究院 | cpc-central-committee | party | 2018- |  |
central-military-commission | 中央军事委员会 | Central Military Commission | 中央军委;中华人民共和国中央军事委员会;CMC |  | state |  |  |
national-peoples-congress | 全国人民代表大会 | National People's Congress | 全国人大;NPC |  | state |  |  |
npc-standing-committee | 全国人民代表大会常务委员会 | Standing Committee of the National People's Congress | 全国人大常委会;NPCSC | national-peoples-congress | state |  |  |
npcsc-legislative-affairs-commission | 全国人民代表大会常务委员会法制工作委员会 | Legislative Affairs Commission of the NPC Standing Committee | 全国人大常委会法制工作委员会;全国人大常委会法工委 | npc-standing-committee | state |  |  |
npc-constitution-and-law-committee | 全国人民代表大会宪法和法律委员会 | Constitution and Law Committee of the National People's Congress | 全国人大宪法和法律委员会 | national-peoples-congress | state | 2018- |  |
npc-financial-and-economic-affairs-committee | 全国人民代表大会财政经济委员会 | Financial and Economic Affairs Committee of the National People's Congress | 全国人大财政经济委员会;全国人大财经委 | national-peoples-congress | state |  |  |
npc-education-science-culture-health-committee | 全国人民代表大会教育科学文化卫生委员会 | Education, Science, Culture and Public Health Committee of the National People's Congress | 全国人大教科文卫委员会;全国人大教科文卫委 | national-peoples-congress | state |  |  |
national-commission-of-supervision | 中华人民共和国国家监察委员会 | National Commission of Supervision | 国家监察委员会;国家监委 |  | state | 2018- |  |
cppcc-national-committee | 中国人民政治协商会议全国委员会 | National Committee of the Chinese People's Political Consultative Conference | 全国政协;CPPCC National Committee |  | state |  |  |
supreme-peoples-court | 最高人民法院 | Supreme People's Court | 最高法;SPC |  | court |  |  |
supreme-peoples-procuratorate | 最高人民检察院 | Supreme People's Procuratorate | 最高检;SPP |  | procuratorate |  |  |
state-council-inspection-committee-education | 国务院教育督导委员会 | Education Supervision Committee of the State Council | 国家教育督导委员会 | state-council | coordination |  |  |
state-council-vocational-education-joint-conference | 国务院职业教育工作部际联席会议 | State Council Inter-ministerial Joint Conference on Vocational Education | 职业教育工作部际联席会议 | state-council | coordination | 2004- |  |
national-vocational-education-advisory-committee | 国家职业教育指导咨询委员会 | National Vocational Education Guidance and Advisory Committee |  | ministry-of-education | coordination | 2019- |  |
state-council-leading-group-for-deepening-medical-reform | 国务院深化医药卫生体制改革领导小组 | State Council Leading Group for Deepening the Reform of the Medical and Health System | 国务院医改领导小组;深化医药卫生体制改革领导小组 | state-council | coordination | 2008- |  |
state-council-ftz-joint-conference | 国务院自由贸易试验区工作部际联席会议 | State Council Inter-ministerial Joint Conference on Pilot Free Trade Zones | 自由贸易试验区工作部际联席会议 | state-council | coordination | 2015- |  |
state-council-work-safety-committee | 国务院安全生产委员会 | Work Safety Committee of the State Council | 国务院安委会 | state-council | coordination |  |  |
state-council-food-safety-commission | 国务院食品安全委员会 | Food Safety Commission of the State Council | 国务院食安委 | state-council | coordination | 2010- |  |
state-council-academic-degrees-committee | 国务院学位委员会 | Academic Degrees Committee of the State Council | 国务院学位办 | state-council | coordination |  |  |
national-committee-on-women-and-children | 国务院妇女儿童工作委员会 | National Working Committee on Children and Women under the State Council | 国务院妇儿工委 | state-council | coordination |  |  |
state-council-disability-committee | 国务院残疾人工作委员会 | State Council Working Committee on Disability |  | state-council | coordination |  |  |
patriotic-health-campaign-committee | 全国爱国卫生运动委员会 | National Patriotic Health Campaign Committee | 全国爱卫会 | state-council | coordination |  |  |
national-defense-mobilization-commission | 国家国防动员委员会 | National Defense Mobilization Commission |  | state-council | coordination |  |  |
national-disaster-reduction-committee | 国家防灾减灾救灾委员会 | National Committee for Disaster Prevention, Reduction and Relief | 国家减灾委员会;国家减灾委 | state-council | coordination |  |  |
flood-control-and-drought-relief-headquarters | 国家防汛抗旱总指挥部 | State Flood Control and Drought Relief Headquarters | 国家防总 | state-council | coordination |  |  |
state-council-migrant-workers-leading-group | 国务院农民工工作领导小组 | State Council Leading Group on Migrant Workers |  | state-council | coordination | 2006- |  |
state-council-sme-leading-group | 国务院促进中小企业发展工作领导小组 | State Council Leading Group for Promoting the Development of SMEs |  | state-council | coordination | 2009- |  |
state-council-employment-leading-group | 国务院就业工作领导小组 | State Council Leading Group on Employment |  | state-council | coordination | 2019- |  |
national-energy-commission | 国家能源委员会 | National Energy Commission |  | state-council | coordination | 2010- |  |
customs-tariff-commission | 国务院关税税则委员会 | Customs Tariff Commission of the State Council | 关税税则委员会 | state-council | coordination |  |  |
state-council-antimonopoly-commission | 国务院反垄断反不正当竞争委员会 | Anti-monopoly and Anti-unfair Competition Commission of the State Council | 国务院反垄断委员会 | state-council | coordination | 2008- |  |
financial-stability-and-development-committee | 国务院金融稳定发展委员会 | Financial Stability and Development Committee of the State Council | 金融委;国务院金融委 | state-council | predecessor | 2017-2023 | central-financial-commission |
poverty-alleviation-leading-group | 国务院扶贫开发领导小组 | State Council Leading Group of Poverty Alleviation and Development |  | state-council | predecessor | 1986-2021 |  |
peoples-liberation-army | 中国人民解放军 | People's Liberation Army | 解放军;PLA | central-military-commission | state |  |  |
peoples-armed-police | 中国人民武装警察部队 | People's Armed Police | 武警部队;人民武装警察部队 | central-military-commission | state |  |  |
"""

#: National mass organisations and parties (the 21 national mass organisations exempt from
#: registration, 民政部 民发〔2000〕256号 list, and the eight democratic parties), type organisation.
ORG_SOURCE = {
    "name": "民政部《关于对部分团体免予社团登记有关问题的通知》（民发〔2000〕256号）; 中国人民政治协商会议章程 (participating parties)",
    "url": "https://www.mca.gov.cn/",
    "date": "2000-12-01",
    "licence": "official works of state organs, not protected (Copyright Law of the PRC, art. 5)",
}

ORG_ROWS = """
communist-party-of-china | 中国共产党 | Communist Party of China | 中共;CPC |  | party |  |  |
acftu | 中华全国总工会 | All-China Federation of Trade Unions | 全国总工会;ACFTU |  | mass |  |  |
trade-unions | 工会 | trade unions | 各级工会;总工会 | acftu | mass |  |  |
communist-youth-league | 中国共产主义青年团 | Communist Youth League of China | 共青团;共产主义青年团 |  | mass |  |  |
cyl-central-committee | 中国共产主义青年团中央委员会 | Central Committee of the Communist Youth League of China | 共青团中央;团中央 | communist-youth-league | mass |  |  |
acwf | 中华全国妇女联合会 | All-China Women's Federation | 全国妇联;ACWF |  | mass |  |  |
womens-federations | 妇女联合会 | women's federations | 妇联;各级妇联 | acwf | mass |  |  |
cdpf | 中国残疾人联合会 | China Disabled Persons' Federation | 中国残联;CDPF |  | mass |  |  |
disabled-persons-federations | 残疾人联合会 | disabled persons' federations | 残联;各级残联 | cdpf | mass |  |  |
acyf | 中华全国青年联合会 | All-China Youth Federation | 全国青联 |  | mass |  |  |
acsf | 中华全国学生联合会 | All-China Students' Federation | 全国学联 |  | mass |  |  |
young-pioneers | 中国少年先锋队 | Young Pioneers of China | 少先队 | communist-youth-league | mass |  |  |
cast | 中国科学技术协会 | China Association for Science and Technology | 中国科协;CAST |  | mass |  |  |
science-and-technology-associations | 科学技术协会 | associations for science and technology | 科协 | cast | mass |  |  |
acfroc | 中华全国归国华侨联合会 | All-China Federation of Returned Overseas Chinese | 中国侨联 |  | mass |  |  |
acftc | 中华全国台湾同胞联谊会 | All-China Federation of Taiwan Compatriots | 全国台联 |  | mass |  |  |
cflac | 中国文学艺术界联合会 | China Federation of Literary and Art Circles | 中国文联 |  | mass |  |  |
china-writers-association | 中国作家协会 | China Writers Association | 中国作协 |  | mass |  |  |
acja | 中华全国新闻工作者协会 | All-China Journalists Association | 中国记协 |  | mass |  |  |
cpaffc | 中国人民对外友好协会 | Chinese People's Association for Friendship with Foreign Countries | 全国友协;对外友协 |  | mass |  |  |
cpifa | 中国人民外交学会 | Chinese People's Institute of Foreign Affairs | 外交学会 |  | mass |  |  |
ccpit | 中国国际贸易促进委员会 | China Council for the Promotion of International Trade | 中国贸促会;贸促会;CCPIT |  | mass |  |  |
red-cross-society-of-china | 中国红十字会 | Red Cross Society of China | 中国红十字会总会;红十字会 |  | mass |  |  |
acfic | 中华全国工商业联合会 | All-China Federation of Industry and Commerce | 全国工商联;工商联;ACFIC |  | mass |  |  |
china-law-society | 中国法学会 | China Law Society |  |  | mass |  |  |
china-family-planning-association | 中国计划生育协会 | China Family Planning Association | 中国计生协 |  | mass |  |  |
china-vocational-education-association | 中华职业教育社 | China Vocational Education Association | 职教社 |  | mass |  |  |
soong-ching-ling-foundation | 中国宋庆龄基金会 | China Soong Ching Ling Foundation |  |  | mass |  |  |
whampoa-alumni-association | 黄埔军校同学会 | Whampoa Military Academy Alumni Association |  |  | mass |  |  |
western-returned-scholars-association | 欧美同学会 | Western Returned Scholars Association | 中国留学人员联谊会 |  | mass |  |  |
china-working-committee-for-the-care-of-children | 中国关心下一代工作委员会 | China Working Committee for the Care of Children | 中国关工委;关工委 |  | mass |  |  |
all-china-federation-of-supply-and-marketing-cooperatives | 中华全国供销合作总社 | All China Federation of Supply and Marketing Cooperatives | 全国供销合作总社;供销合作总社 |  | mass |  |  |
rcckmt | 中国国民党革命委员会 | Revolutionary Committee of the Chinese Kuomintang | 民革 |  | party |  |  |
china-democratic-league | 中国民主同盟 | China Democratic League | 民盟 |  | party |  |  |
china-national-democratic-construction-association | 中国民主建国会 | China National Democratic Construction Association | 民建 |  | party |  |  |
china-association-for-promoting-democracy | 中国民主促进会 | China Association for Promoting Democracy | 民进 |  | party |  |  |
chinese-peasants-and-workers-democratic-party | 中国农工民主党 | Chinese Peasants' and Workers' Democratic Party | 农工党 |  | party |  |  |
china-zhi-gong-party | 中国致公党 | China Zhi Gong Party | 致公党 |  | party |  |  |
jiusan-society | 九三学社 | Jiusan Society |  |  | party |  |  |
taiwan-democratic-self-government-league | 台湾民主自治同盟 | Taiwan Democratic Self-Government League | 台盟 |  | party |  |  |
"""


def rows(text: str) -> list[list[str]]:
    """The data rows of ``text`` as lists of stripped fields (9 per row)."""
    out = []
    for line in text.strip().splitlines():
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split("|")]
        fields += [""] * (9 - len(fields))
        if len(fields) != 9:
            raise ValueError(f"bad row: {line!r}")
        out.append(fields)
    return out


#: Collective references that name a class of bodies (generic roles), as fixed by the Organic Law
#: of the Local People's Congresses and Local People's Governments (地方各级人民代表大会和地方各级人民
#: 政府组织法) and the usual wording of State Council documents. Row: ``id | name | English | aliases``.
GENERIC_ROWS = """
local-governments | 地方各级人民政府 | local people's governments at all levels (generic role) | 地方各级政府;地方政府;地方人民政府
governments-at-all-levels | 各级人民政府 | people's governments at all levels (generic role) | 各级政府;各级政府部门
county-level-and-above-governments | 县级以上地方人民政府 | local people's governments at or above county level (generic role) | 县级以上人民政府;县级以上地方各级人民政府;县级以上各级人民政府;县级以上地方政府
provincial-governments | 各省、自治区、直辖市人民政府 | governments of the provinces, autonomous regions and municipalities (generic role) | 省、自治区、直辖市人民政府;各省级人民政府;省级人民政府;各省（自治区、直辖市）人民政府;各省（区、市）人民政府;各省(区、市)人民政府
provinces | 各省份 | the provinces (generic role) | 各省（区、市）;各省(区、市);各省、自治区、直辖市;各省区市;省、自治区、直辖市
localities | 各地 | localities (generic role) | 各地区;各地方;有关地方;有关地区
municipal-and-county-governments | 市、县两级政府 | municipal and county governments (generic role) | 市、县（市、区）政府;市、县(市、区)政府;市县两级政府;市、县两级人民政府;市、县两级
relevant-departments | 有关部门 | relevant departments (generic role) | 各有关部门;相关部门;各相关部门;有关单位;各有关单位;国务院有关部门;国务院各有关部门;国务院相关部门;中央有关部门;有关方面;其他有关部门;国务院其他有关部门
state-council-departments | 国务院各部委、各直属机构 | ministries, commissions and agencies directly under the State Council (generic role) | 国务院各部委;各部委;国务院各部门;国务院部门;国务院各直属机构
finance-departments | 财政部门 | finance departments (generic role) | 各级财政部门;财政行政部门;财政主管部门
education-administrative-departments | 教育行政部门 | education administrative departments (generic role) | 教育部门;教育主管部门;教育行政主管部门;各级教育行政部门
human-resources-and-social-security-departments | 人力资源社会保障部门 | human resources and social security departments (generic role) | 人力资源社会保障行政部门;人社部门;人力资源和社会保障部门;人力资源社会保障主管部门
poverty-alleviation-departments | 扶贫部门 | poverty alleviation departments (generic role) | 扶贫开发部门
agriculture-and-rural-affairs-departments | 农业农村部门 | agriculture and rural affairs departments (generic role) | 农业农村行政部门;农业农村主管部门
financial-institutions | 金融机构 | financial institutions (generic role) | 各类金融机构;银行业金融机构;各金融机构
"""
