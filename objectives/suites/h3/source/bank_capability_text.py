# ruff: noqa: E501  (data bank: one item a line, long lines by design)
"""Hand-written easy multiple-choice questions for the capability guard.

One line per item: ``question | correct answer | wrong | wrong | wrong``. The build shuffles the four
choices with a fixed seed. Items are deliberately easy (a small base model must score clearly above the
25% chance level, so that a regression after merging shows), and they avoid the facts used by the honest
objective so that fine-tuning on honest data cannot inflate the guard.
"""

WORLD_KNOWLEDGE = """
Which continent is Kenya in? | Africa | Europe | Asia | Oceania
Which continent is Argentina in? | South America | Asia | Africa | Europe
Which continent is Thailand in? | Asia | Africa | Europe | Oceania
Which continent is Sweden in? | Europe | Asia | Africa | Oceania
On which continent is Morocco? | Africa | Europe | Asia | Oceania
Mexico is part of which continent? | North America | Africa | Asia | Europe
What is the currency of Japan? | yen | euro | peso | rand
What is the currency used in the United Kingdom? | pound sterling | yen | rouble | peso
Which currency is used in most countries of the European Union? | euro | dollar | yen | rupee
What is the currency of India? | rupee | yen | euro | dollar
What is the currency of the United States? | dollar | pound | euro | franc
In which country is the Eiffel Tower? | France | Italy | Spain | Germany
In which city is the Colosseum? | Rome | Paris | London | Madrid
In which city is Big Ben? | London | Paris | Berlin | New York
The Statue of Liberty stands in which city? | New York | Los Angeles | Chicago | Boston
In which country is the Taj Mahal? | India | China | Egypt | Brazil
Where are the famous ancient pyramids of Giza? | Egypt | Mexico | Greece | India
In which country would you find the city of Sydney? | Australia | Canada | England | South Africa
In which country is the city of Barcelona? | Spain | Italy | Portugal | Greece
In which country is the city of Munich? | Germany | Austria | France | Poland
Which country is home to kangaroos in the wild? | Australia | Canada | Norway | Argentina
What language is mainly spoken in France? | French | German | Italian | Dutch
What language is mainly spoken in Germany? | German | French | Spanish | Swedish
What language is mainly spoken in Japan? | Japanese | Chinese | Korean | Thai
What language is mainly spoken in Italy? | Italian | Spanish | Greek | French
Which language is spoken by most people in Spain? | Spanish | Portuguese | French | Italian
What is the main language of the United States? | English | Spanish | French | German
Which country has the city of Toronto? | Canada | Mexico | France | Norway
Which of these is a country in Africa? | Nigeria | Peru | Thailand | Sweden
Which of these is a country in South America? | Colombia | Kenya | Finland | Vietnam
Which of these is a country in Asia? | Vietnam | Chile | Ghana | Austria
Which of these is a country in Europe? | Belgium | Bolivia | Uganda | Nepal
Which ocean lies between Europe and North America? | Atlantic Ocean | Indian Ocean | Arctic Ocean | Southern Ocean
What is the biggest city in the United States by population? | New York City | Boston | Denver | Seattle
Which country is famous for tulips and windmills? | the Netherlands | Egypt | Brazil | Kenya
Which country is famous for pizza and pasta? | Italy | Norway | Japan | Russia
Which country is famous for sushi? | Japan | Mexico | Ireland | Egypt
Which country is famous for tacos? | Mexico | Sweden | India | China
Which country has a red maple leaf on its flag? | Canada | Japan | Brazil | Italy
Which country's flag is a red circle on a white background? | Japan | China | Canada | Brazil
What colour are the stars on the flag of the United States? | white | yellow | green | black
Who is the head of the Roman Catholic Church? | the Pope | the King | the Duke | the Mayor
What is the name of the holy book of Islam? | the Quran | the Vedas | the Torah | the Tripitaka
Which religion celebrates Diwali, the festival of lights? | Hinduism | Christianity | Judaism | Shinto
Which holiday is celebrated on 25 December by Christians? | Christmas | Easter | Halloween | Thanksgiving
On which holiday do children in many countries go trick-or-treating? | Halloween | Christmas | Easter | New Year
What do people usually celebrate on 1 January? | New Year's Day | Christmas | Halloween | Easter
Which animal is the national symbol of China's famous conservation efforts? | giant panda | kangaroo | bald eagle | kiwi
Which bird is the national symbol of the United States? | bald eagle | peacock | penguin | parrot
Which sport is most popular in Brazil? | football | ice hockey | cricket | rugby
Which sport uses a bat and is very popular in India? | cricket | golf | tennis | rugby
Which sport is played at the Super Bowl? | American football | basketball | baseball | tennis
In which sport do players use a racket and a shuttlecock? | badminton | golf | football | swimming
Which game has pieces called king, queen, rook and pawn? | chess | checkers | poker | dominoes
How many players are on each side in a game of chess? | one | two | six | ten
What is the name of the famous clock tower bell in London? | Big Ben | Little John | Old Tom | Great Paul
Which famous structure was built to keep invaders out of northern China? | the Great Wall | the Berlin Wall | Hadrian's Wall | the Western Wall
Where does the President of the United States live? | the White House | Buckingham Palace | the Kremlin | the Louvre
Where does the British monarch officially live in London? | Buckingham Palace | the White House | the Vatican | the Alhambra
What kind of building is the Louvre in Paris? | a museum | a stadium | a prison | a garage
Which famous ship sank after hitting an iceberg in the North Atlantic? | Titanic | Mayflower | Santa Maria | Endeavour
Which invention lets people talk to each other over long distances? | telephone | microscope | compass | thermometer
What do we call a person who flies an airplane? | pilot | sailor | farmer | baker
What do we call a person who treats sick animals? | vet | cook | pilot | judge
What do we call a person who fixes water pipes? | plumber | pilot | surgeon | librarian
What do we call a person who works in a library helping readers? | librarian | carpenter | chef | astronaut
What do we call a person who travels into space? | astronaut | sailor | miner | jockey
What do we call a person who designs buildings? | architect | butcher | tailor | surgeon
What does a baker make? | bread | shoes | tyres | bricks
What does a carpenter mainly work with? | wood | cloth | glass | leather
What does a dentist take care of? | teeth | feet | hair | eyes
What does a firefighter do? | puts out fires | delivers letters | grows crops | repairs cars
What does a mail carrier deliver? | letters and parcels | pizza | electricity | water
Where do you go to borrow books? | a library | a bakery | a garage | a gym
Where do you go to see a doctor when you are very sick? | a hospital | a cinema | a bakery | a stadium
Where do people usually go to catch a train? | a railway station | an airport | a harbour | a hospital
Where do planes take off and land? | an airport | a harbour | a stadium | a library
Where are ships loaded and unloaded? | a port | a farm | a mine | a cave
What do you call the place where animals are kept for people to see? | a zoo | a bank | a gym | a shop
Which meal is usually eaten in the morning? | breakfast | dinner | supper | lunch
How many days are there in a week? | seven | five | ten | twelve
How many months are there in a year? | twelve | ten | seven | fifty-two
Which month comes after March? | April | February | June | May
Which month comes before December? | November | January | October | September
Which day comes after Monday? | Tuesday | Sunday | Thursday | Friday
Which day comes before Saturday? | Friday | Sunday | Monday | Thursday
Which is the first month of the year? | January | March | December | June
Which is the last month of the year? | December | January | October | July
In which season do leaves fall from many trees? | autumn | spring | summer | winter
In which season is it usually coldest? | winter | summer | spring | autumn
In which season do many flowers start to bloom? | spring | winter | autumn | never
How many colours are in a rainbow, traditionally? | seven | three | ten | two
What colour is a ripe banana? | yellow | blue | purple | black
What colour is grass? | green | red | blue | white
What colour is snow? | white | green | orange | brown
Mixing red paint with white paint gives which colour? | pink | green | blue | black
What colour do you get when you mix red and yellow? | orange | purple | blue | grey
What colour do you get when you mix black and white? | grey | yellow | red | green
What colour is a fire engine usually? | red | blue | pink | grey
What colour are traffic lights when you must stop? | red | green | blue | white
Which traffic light colour means go? | green | red | purple | black
What shape is a football used in soccer? | a sphere | a cube | a cone | a pyramid
What shape has three sides? | triangle | square | circle | hexagon
What shape has four equal sides and four right angles? | square | triangle | circle | oval
What shape is a wheel? | circle | triangle | square | star
How many wheels does a bicycle have? | two | three | four | six
How many wheels does a tricycle have? | three | two | four | one
How many wheels does a normal car have? | four | two | three | eight
What do you use to unlock a door? | a key | a spoon | a pencil | a cup
Which instrument has black and white keys? | piano | drum | trumpet | violin
Which instrument do you play by hitting it with sticks? | drum | flute | violin | harp
Which instrument do you blow into? | trumpet | piano | guitar | drum
How many strings does a violin usually have? | four | ten | one | twenty
Which famous scientist is known for the theory of gravity and an apple? | Isaac Newton | Charles Dickens | Napoleon | Mozart
Which author created the boy wizard Harry Potter? | J. K. Rowling | Jane Austen | Mark Twain | Dr. Seuss
Who was the first man to walk on the Moon? | Neil Armstrong | Albert Einstein | Christopher Columbus | Julius Caesar
Which artist painted the Mona Lisa? | Leonardo da Vinci | Pablo Picasso | Claude Monet | Salvador Dali
Which famous playwright wrote Hamlet and Macbeth? | William Shakespeare | Charles Darwin | Isaac Newton | Leonardo da Vinci
Which famous composer wrote many symphonies and became deaf? | Ludwig van Beethoven | Pablo Picasso | Charles Darwin | Napoleon Bonaparte
Who was famous for the theory of evolution? | Charles Darwin | Isaac Newton | William Shakespeare | Mozart
What is the largest animal living today? | blue whale | elephant | giraffe | shark
What is the name of the red planet? | Mars | Venus | Jupiter | Saturn
What is the name of the planet we live on? | Earth | Mars | Venus | Jupiter
What is the name of the star our planet goes around? | the Sun | the Moon | Mars | Venus
Which of these is a famous river in Egypt? | the Nile | the Thames | the Amazon | the Danube
Which is the largest country in South America? | Brazil | Chile | Uruguay | Ecuador
Which is the largest continent? | Asia | Europe | Africa | Oceania
Which continent is covered in ice and is around the South Pole? | Antarctica | Africa | Asia | Europe
Which city is known as the Big Apple? | New York | London | Paris | Tokyo
Which city is famous for its canals and gondolas? | Venice | Berlin | Moscow | Cairo
Which famous leaning tower is in Italy? | the Leaning Tower of Pisa | Big Ben | the Eiffel Tower | the CN Tower
Which desert is the largest hot desert on Earth? | the Sahara | the Gobi | the Atacama | the Mojave
In which country is the Amazon rainforest mostly found? | Brazil | Canada | Egypt | Russia
What do we call a large body of salt water? | an ocean | a pond | a stream | a puddle
What is a very large natural stream of water flowing to the sea called? | a river | a hill | a desert | a cave
What do we call land completely surrounded by water? | an island | a valley | a peninsula | a canyon
What is a mountain that can erupt with lava called? | a volcano | a glacier | a canyon | a dune
What do we call a very large mass of slowly moving ice? | a glacier | a volcano | a river | a desert
What is the name of a place with very little rain and lots of sand or rock? | a desert | a rainforest | a swamp | a lake
What kind of forest is hot, wet and full of tall trees? | a rainforest | a desert | a tundra | a glacier
Which famous scientist developed vaccines and pasteurisation? | Louis Pasteur | Isaac Newton | Galileo Galilei | Charles Darwin
Who was the famous nurse called "the Lady with the Lamp"? | Florence Nightingale | Marie Antoinette | Queen Victoria | Joan of Arc
What kind of ruler is a king or queen? | a monarch | a president | a mayor | a judge
What do we call the leader of a city? | a mayor | a king | a pope | a captain
What do people do in an election? | vote | swim | cook | sing
What is the name for money you pay to the government? | taxes | wages | gifts | prizes
How many years are in a century? | one hundred | ten | one thousand | fifty
How many years are in a decade? | ten | five | six | two
How many years are in a millennium? | one thousand | one hundred | ten | ten thousand
Which city is the capital of England? | London | Oxford | Dover | Leeds
Which country is the city of Rio de Janeiro in? | Brazil | Spain | Mexico | Portugal
In which country is the city of Kyoto? | Japan | China | Korea | Vietnam
In which country is the city of Venice? | Italy | France | Greece | Croatia
In which country is the city of Istanbul? | Turkey | Greece | Egypt | Iran
In which country is the city of Los Angeles? | the United States | Canada | Mexico | Australia
In which country is the city of Mumbai? | India | Chile | Egypt | Spain
In which country is the city of Cape Town? | South Africa | Nigeria | Kenya | Egypt
In which country is the city of Shanghai? | China | Japan | Thailand | India
In which country is the city of St Petersburg with the Hermitage museum? | Russia | Poland | Finland | Ukraine
Which animal appears on the flag of Wales? | a red dragon | a lion | an eagle | a horse
What is the main ingredient of guacamole? | avocado | potato | rice | cheese
What is the main ingredient of an omelette? | eggs | rice | flour | apples
What is bread mainly made from? | flour | sugar | rice | meat
What is cheese made from? | milk | flour | apples | rice
What are chips or French fries made from? | potatoes | apples | carrots | rice
What is popcorn made from? | corn | rice | wheat | beans
What fruit is used to make wine? | grapes | bananas | oranges | lemons
What drink is made from roasted beans? | coffee | milk | lemonade | cider
What drink is made by soaking dried leaves in hot water? | tea | milk | cola | wine
Which meal is usually eaten in the middle of the day? | lunch | dinner | supper | snack
How many players are there in a tennis singles match? | two | four | six | ten
How many sides does a coin have? | two | one | four | six
Which sport uses a round orange ball and a hoop? | basketball | golf | tennis | cricket
In which sport do you try to hit a small ball into a hole with as few strokes as possible? | golf | rugby | chess | boxing
What is the name of the big cat with black stripes on orange fur? | tiger | lion | leopard | cheetah
What do people celebrate on a birthday? | the day they were born | the first day of school | the end of the year | a national election
What is the name of the famous Paris art museum with a glass pyramid? | the Louvre | the Prado | the Uffizi | the Hermitage
What kind of structure is the Golden Gate in San Francisco? | a bridge | a tower | a castle | a stadium
Which ocean is to the west of the United States? | the Pacific Ocean | the Atlantic Ocean | the Indian Ocean | the Arctic Ocean
Which famous wall divided the city of Berlin until 1989? | the Berlin Wall | Hadrian's Wall | the Great Wall | the Western Wall
Who is Mickey Mouse's creator? | Walt Disney | Charles Dickens | Steve Jobs | Thomas Edison
Which company makes the Windows operating system for computers? | Microsoft | Nike | Toyota | Nestle
Which company is known for its logo of an apple with a bite taken out? | Apple | Samsung | Google | Sony
What is the name of the Internet search company founded by Larry Page and Sergey Brin? | Google | Amazon | Netflix | Tesla
Which continent is Egypt in? | Africa | Europe | Asia | Oceania
Which continent is Peru in? | South America | North America | Central Asia | Western Europe
Which continent is Vietnam in? | Asia | Africa | Europe | Oceania
Which continent is Poland in? | Europe | Asia | Africa | Oceania
Which continent are Canada and the United States in? | North America | South America | Eastern Asia | Western Europe
What is the currency of China? | yuan | euro | peso | rand
What is the currency of Mexico? | peso | yen | euro | rand
What is the currency of Russia? | rouble | rupee | dollar | pound
What is the currency of Switzerland? | franc | yen | peso | rand
In which country is the city of Lyon? | France | Norway | Brazil | Japan
In which country is the city of Osaka? | Japan | Italy | Kenya | Peru
In which country is the city of Melbourne? | Australia | Argentina | Sweden | Portugal
In which country is the city of Hamburg? | Germany | Mexico | Egypt | India
In which country is the city of Chicago? | the United States | Spain | Russia | Vietnam
In which country is the city of Vancouver? | Canada | Italy | Egypt | Chile
In which country is the city of Naples? | Italy | Sweden | Canada | Japan
In which country is the city of Seville? | Spain | Norway | Japan | Kenya
In which country is the city of Edinburgh? | Scotland | Mexico | Brazil | Turkey
In which country is the city of Lagos? | Nigeria | Norway | Japan | Canada
In which country is the city of Krakow? | Poland | Brazil | Japan | Chile
What language do people mainly speak in Portugal? | Portuguese | Norwegian | Japanese | Hungarian
What language do most people speak in China? | Chinese | Spanish | French | German
What language do most people speak in Russia? | Russian | Spanish | Italian | Swedish
What language do most people speak in Greece? | Greek | Dutch | Hindi | Thai
What language do most people speak in Sweden? | Swedish | Spanish | Italian | Turkish
What language do people mainly speak in Egypt? | Arabic | Polish | Danish | Korean
Which animal is a symbol of Australia? | the kangaroo | the tiger | the camel | the bison
Which animal is the symbol of the World Wide Fund for Nature? | the panda | the lion | the eagle | the shark
What is the name of the toy made of small plastic bricks from Denmark? | Lego | Play | Kite | Yo-yo
Which board game has squares called Park Lane or Boardwalk? | Monopoly | Chess | Scrabble | Checkers
Which game uses words made from letter tiles? | Scrabble | Monopoly | Chess | Poker
What do you call a story told with drawings in boxes? | a comic | a poem | a recipe | a map
What do you call a book of maps? | an atlas | a novel | a diary | a menu
What do you call a book of words and their meanings? | a dictionary | a cookbook | a storybook | a songbook
What do you call a list of dishes at a restaurant? | a menu | a map | a poem | a diary
What do you call a picture of a person's face painted by an artist? | a portrait | a landscape | a map | a poster
Which festival is famous for exchanging eggs and chocolate bunnies? | Easter | Diwali | Hanukkah | Ramadan
Which Jewish festival lasts eight nights and uses a menorah? | Hanukkah | Easter | Diwali | Christmas
What is the name of the Muslim month of fasting? | Ramadan | Easter | Diwali | Advent
Which is the most famous mountain in Japan? | Mount Fuji | Mount Everest | Mont Blanc | Mount Etna
Which river flows through Paris? | the Seine | the Thames | the Nile | the Volga
Which river flows through Rome? | the Tiber | the Seine | the Nile | the Thames
Which river flows through Vienna and Budapest? | the Danube | the Thames | the Amazon | the Ganges
Which sea is so salty that people float easily in it? | the Dead Sea | the Red Sea | the Black Sea | the North Sea
What is the name of the famous clock tower in London, officially the Elizabeth Tower? | Big Ben | Old Tom | Great Tom | Bow Bell
Which city is home to the Sydney Opera House? | Sydney | Perth | Darwin | Hobart
Which country has the most famous pyramids? | Egypt | Norway | Canada | Japan
Which city has the Brandenburg Gate? | Berlin | Madrid | Lisbon | Athens
Which city has the Parthenon? | Athens | Berlin | Vienna | Dublin
Which city has the Kremlin and Red Square? | Moscow | Madrid | Lisbon | Dublin
Which country has a flag with a white cross on a red background? | Switzerland | Argentina | Australia | Indonesia
What is the name of the American space agency? | NASA | FIFA | NATO | UNICEF
What is the name of the world football organisation that runs the World Cup? | FIFA | NASA | NATO | UNESCO
Which ancient people built the Colosseum? | the Romans | the Vikings | the Aztecs | the Mongols
Which ancient people wrote with hieroglyphs? | the Egyptians | the Vikings | the Romans | the Aztecs
Which people sailed in longships from Scandinavia? | the Vikings | the Aztecs | the Incas | the Romans
Who lived in castles and wore armour in the Middle Ages? | knights | pilots | astronauts | cowboys
Who travelled in covered wagons across the American West? | settlers | astronauts | knights | pharaohs
Who were the kings of ancient Egypt called? | pharaohs | emperors | tsars | sultans
What do you call a person who writes books? | an author | a pilot | a farmer | a dancer
What do you call a person who acts in films? | an actor | a miner | a baker | a sailor
What do you call a person who sings? | a singer | a driver | a farmer | a barber
What do you call a person who teaches at a school? | a teacher | a plumber | a pilot | a miner
What do you call a person who grows crops and keeps animals? | a farmer | a dentist | a pilot | a judge
What do you call a person who cuts hair? | a hairdresser | a carpenter | a shepherd | a librarian
"""

SCIENCE = """
What do plants need from the sun to make their food? | light | sound | snow | wind
What gas do humans need to breathe to stay alive? | oxygen | helium | neon | hydrogen
What part of the body pumps blood? | the heart | the stomach | the lungs | the skin
What part of the body do we use to think? | the brain | the liver | the stomach | the knee
What organ do we use to see? | the eyes | the ears | the nose | the tongue
What organ do we use to hear? | the ears | the eyes | the hands | the feet
What organ do we use to smell? | the nose | the elbow | the knee | the ear
Which organ helps us breathe? | the lungs | the heart | the kidneys | the skin
What covers the outside of the human body? | skin | bark | shell | wool
What is the hard part inside our body that holds us up? | the skeleton | the blood | the hair | the skin
What do teeth help us do? | chew food | see | hear | smell
Which sense do we use to taste food? | taste, with the tongue | hearing | sight | touch with the feet
What happens to water when it is heated to boiling? | it turns into steam | it turns into ice | it turns into sand | it becomes solid
What happens to water when it freezes? | it turns into ice | it turns into steam | it disappears | it turns into air
What is water called when it is a gas? | water vapour | ice | snow | mud
What is the solid form of water called? | ice | steam | rain | fog
What falls from clouds when it is cold enough to freeze? | snow | sand | leaves | smoke
What do we call the water that falls from clouds? | rain | dust | lava | sand
What do we call frozen balls of ice that fall in a storm? | hail | dew | fog | mist
What do we see in the sky after rain when the sun shines? | a rainbow | an eclipse | a comet | a meteor
What makes a shadow? | an object blocking light | a loud noise | a strong wind | warm water
Where does the Sun rise? | in the east | in the west | in the north | in the south
Where does the Sun set? | in the west | in the east | in the north | in the south
What gives the Earth light and heat during the day? | the Sun | the Moon | the stars | the clouds
When is it usually dark outside? | at night | at noon | at lunch | at dawn
What pulls things down to the ground when you drop them? | gravity | magnetism | wind | light
What kind of material does a magnet attract? | iron | wood | plastic | paper
Which of these conducts electricity well? | copper wire | a wooden stick | a rubber band | a plastic cup
Which of these is an insulator for electricity? | rubber | copper | silver | iron
What do we call energy from the Sun? | solar energy | nuclear energy | wind energy | tidal energy
What do wind turbines use to make electricity? | wind | coal | oil | gas
What do we call a material that lets light pass through clearly, like glass? | transparent | opaque | magnetic | heavy
What is the centre of an atom called? | the nucleus | the shell | the wave | the field
Which particle has a negative charge? | electron | proton | neutron | nucleus
What is H2O better known as? | water | salt | sugar | air
What is NaCl better known as? | table salt | sugar | water | chalk
What is the chemical symbol for oxygen? | O | Ox | Og | Om
What is the chemical symbol for hydrogen? | H | Hy | Hd | He
What is the chemical symbol for carbon? | C | Ca | Cr | Co
Which state of matter has a fixed shape? | solid | liquid | gas | steam
Which state of matter takes the shape of its container but keeps its volume? | liquid | solid | gas | vapour
Which state of matter spreads out to fill any container? | gas | ice | rock | sand
What happens to most metals when they are heated? | they expand | they shrink | they freeze | they vanish
Which of these is a mammal? | dog | shark | frog | snake
Which of these is a bird? | eagle | bat | whale | lizard
Which of these is a reptile? | crocodile | cow | eagle | salmon
Which of these is a fish? | salmon | dolphin | whale | seal
Which of these is an insect? | ant | crab | worm | slug
Which of these is an amphibian? | frog | lion | pigeon | trout
What do caterpillars become? | butterflies | frogs | birds | bees
What do tadpoles become? | frogs | birds | fish | snakes
What does a young dog grow into? | an adult dog | a cat | a horse | a cow
What do cows eat mostly? | grass | meat | fish | insects
What do lions eat? | meat | grass | fruit | seeds
What do bees make? | honey | milk | silk | wool
What do silkworms make? | silk | honey | wool | cotton
What do hens lay? | eggs | milk | wool | honey
Which animal gives us wool? | sheep | cow | pig | chicken
Which farm animal gives most of the milk people drink? | cow | dog | horse | cat
How do fish breathe? | with gills | with lungs | with fins | with tails
How do birds usually move through the air? | by flying with wings | by swimming | by digging | by jumping on one leg
What do plants take up through their roots? | water | light | sound | air only
What part of the plant makes seeds and is often colourful? | the flower | the root | the stem | the bark
What part of a tree is underground? | the roots | the leaves | the branches | the fruit
Which part of a plant usually makes most of its food? | the leaves | the roots | the seeds | the bark
What do seeds need to start growing? | water and warmth | darkness and salt | oil and sand | ice and smoke
Which animal is known for having a very long trunk? | elephant | giraffe | horse | lion
Which animal has black and white stripes? | zebra | camel | lion | bear
Which animal is famous for carrying its house on its back? | snail | dog | horse | rabbit
Which animal can change its colour to blend in? | chameleon | cow | horse | sheep
Which animal sleeps through the winter in a cave? | bear | camel | parrot | shark
Which animal can live in the desert and go a long time without water? | camel | penguin | seal | walrus
Which animal lives in very cold places and has thick white fur? | polar bear | camel | lion | monkey
Which animal hops and carries its baby in a pouch? | kangaroo | cow | tiger | horse
Which animal is the largest land animal? | elephant | mouse | cat | rabbit
Which animal is known for building dams in rivers? | beaver | lion | eagle | snake
Which of these animals lives in the ocean? | octopus | camel | squirrel | horse
Which animal spins a web to catch insects? | spider | cow | dog | horse
Which animal barks? | dog | cat | cow | bird
Which animal purrs? | cat | dog | horse | cow
Which animal moos? | cow | dog | cat | duck
Which animal quacks? | duck | dog | cow | horse
Which animal neighs? | horse | dog | cat | cow
What is the closest planet to the Sun? | Mercury | Neptune | Saturn | Uranus
Which planet has the most famous rings? | Saturn | Mercury | Mars | Earth
Which is bigger, the Sun or the Earth? | the Sun | the Earth | the Moon | a cloud
What does the Moon go around? | the Earth | Mars | Jupiter | Venus
How long does it take the Earth to go around the Sun? | about one year | about one day | about one week | about one hour
How long does it take the Earth to spin around once? | about one day | about one year | about one month | about one minute
What do we call a group of stars that forms a pattern in the sky? | a constellation | a planet | a comet | a moon
What do we call a person who studies the stars and planets? | an astronomer | a chef | a pilot | a banker
What tool do we use to look at faraway stars? | a telescope | a microscope | a stethoscope | a thermometer
What tool do we use to see very tiny things like cells? | a microscope | a telescope | a ruler | a scale
What tool measures temperature? | a thermometer | a ruler | a clock | a compass
What tool measures weight? | a scale | a ruler | a clock | a compass
What tool helps you find north? | a compass | a thermometer | a hammer | a spoon
What does a doctor use to listen to your heart? | a stethoscope | a telescope | a hammer | a paintbrush
What does the heart pump around the body? | blood | air | food | water
What does the stomach help us do? | digest food | see | hear | think
What carries messages from the brain to the body? | nerves | bones | hair | nails
What do we call a very small living thing that can cause disease? | a germ | a rock | a mineral | a crystal
Why do we wash our hands before eating? | to remove germs | to warm them up | to dry them off | to make them soft
What vitamin do we get from sunlight? | vitamin D | vitamin C | vitamin A | vitamin K
Which food group are apples and oranges in? | fruit | meat | dairy | grains
Which food group is milk in? | dairy | fruit | meat | grains
Which of these is a vegetable? | carrot | apple | banana | cherry
Which of these is a fruit? | apple | potato | onion | cabbage
Which gas do plants give off that we breathe? | oxygen | smoke | steam | helium
Which planet is known as Earth's twin because of its similar size? | Venus | Jupiter | Saturn | Neptune
What is the main gas in the air we breathe? | nitrogen | helium | hydrogen | neon
What makes a rainbow appear? | sunlight passing through raindrops | wind blowing on clouds | the Moon's light | thunder
What is the name of the path a planet takes around the Sun? | an orbit | a tunnel | a bridge | a river
Which is the hottest: ice, warm water or boiling water? | boiling water | ice | warm water | cold water
Which of these melts when it gets warm? | an ice cube | a rock | a nail | a glass bottle
Which of these floats on water? | a piece of wood | a stone | an iron nail | a coin
Which of these sinks in water? | a stone | a cork | a leaf | a feather
What do you call animals that eat only plants? | herbivores | carnivores | omnivores | predators
What do you call animals that eat only meat? | carnivores | herbivores | vegetarians | plants
What do we call animals that eat both plants and meat? | omnivores | herbivores | carnivores | minerals
What does a seed grow into? | a plant | a rock | a cloud | a fish
What do leaves on many trees do in autumn? | change colour and fall | turn into flowers | grow bigger | turn into fruit
Which body part helps you walk? | legs | ears | eyes | nose
How many legs does a bird have? | two | four | six | eight
How many legs does a dog have? | four | two | six | eight
How many arms does an octopus have? | eight | four | six | ten
How many wings does a typical bird have? | two | four | six | one
Which is a source of light? | a lamp | a chair | a book | a table
Which thing makes sound when you hit it? | a drum | a pillow | a cloud | a shadow
How does sound travel to our ears? | through the air as vibrations | through light | through magnets | it does not travel
Which is heavier: a kilogram of iron or a kilogram of feathers? | they weigh the same | the iron | the feathers | it depends on the colour
What happens to a puddle on a hot sunny day? | it evaporates | it freezes | it grows bigger | it turns into sand
What do we call the fine powder that bees carry from flower to flower? | pollen | sand | salt | flour
What do we call the change of a liquid into a gas? | evaporation | freezing | melting | condensation
What do we call water droplets that form on a cold glass? | condensation | evaporation | erosion | combustion
What do plants need besides light and water to grow well? | nutrients from the soil | salt water | darkness | smoke
What do we call the layer of gases around the Earth? | the atmosphere | the crust | the core | the ocean
What do we call the outer layer of the Earth that we live on? | the crust | the core | the mantle | the sky
Which of these is a renewable source of energy? | wind | coal | oil | gas
Which of these is a fossil fuel? | coal | sun | wind | rain
What do solar panels turn into electricity? | sunlight | wind | water | sound
Which of these is a good source of vitamin C? | oranges | bread | butter | salt
Which nutrient helps build muscles? | protein | sugar | salt | water only
Which body part contains the pupil and the iris? | the eye | the ear | the hand | the knee
Which body part contains the eardrum? | the ear | the eye | the nose | the foot
Which joint connects the upper arm to the forearm? | the elbow | the knee | the ankle | the hip
Which joint is in the middle of the leg? | the knee | the elbow | the wrist | the shoulder
What protects the brain? | the skull | the ribs | the knee | the spine
What do the ribs protect? | the heart and lungs | the brain | the feet | the eyes
Which animal is a mammal that lives in the sea? | a whale | a shark | a tuna | a jellyfish
Which animal is a bird that cannot fly? | an ostrich | a sparrow | an eagle | a pigeon
Which animal is cold-blooded? | a lizard | a dog | a horse | a human
Which animal lays eggs? | a chicken | a cow | a dog | a cat
Which animal has feathers? | a parrot | a cat | a frog | a snake
Which animal has scales? | a fish | a cat | a cow | a sheep
Which animal eats bamboo and lives in China? | the giant panda | the koala | the kangaroo | the polar bear
What do plants release into the air during the day? | oxygen | smoke | sand | noise
What is the name of the force that slows a sliding box on the floor? | friction | magnetism | buoyancy | light
Which of these is a source of sound? | a ringing bell | a dark shadow | a flat mirror | a still pond
Which of these travels fastest? | light | sound | a car | a bird
What happens when you rub a balloon on your hair? | it gets a static charge and can stick to things | it melts | it freezes | it turns into water
Which is a planet with a famous Great Red Spot storm? | Jupiter | Mercury | Venus | Mars
What do bees help flowers do by carrying pollen? | make seeds | grow roots | turn blue | sleep longer
What do we call a baby frog? | a tadpole | a kitten | a puppy | a foal
What do we call a baby butterfly before it changes? | a caterpillar | a tadpole | a puppy | a chick
What is the hard covering of an egg called? | the shell | the yolk | the fur | the bark
What is the yellow part inside an egg called? | the yolk | the shell | the white | the peel
What covers a bird's body? | feathers | scales | fur | shells
What covers a fish's body? | scales | feathers | fur | wool
What covers a sheep's body? | wool | scales | fins | shells
What does a cow have on its feet? | hooves | claws | fins | wings
What do fish use to swim? | fins | wings | hooves | arms
What do birds use to fly? | wings | fins | hooves | roots
What do plants grow from? | seeds | stones | shells | bones
What is the part of a plant that holds it up, between roots and leaves? | the stem | the petal | the seed | the fruit
What is the colour of most leaves in summer? | green | blue | white | black
What shape is the Earth, roughly? | a sphere | a cube | a cone | a flat disc
What do we call a scientist who studies living things? | a biologist | a geologist | a plumber | a pilot
What do we call the study of the stars and planets? | astronomy | biology | geology | botany
Which part of the body pumps blood through blood vessels? | the heart | the liver | the lungs | the brain
Where does food go after you swallow it? | the stomach | the lungs | the brain | the heart
Which body part has the pupil? | the eye | the ear | the nose | the hand
Which part of the body do we use to taste? | the tongue | the elbow | the knee | the ear
Which part of the body do we use to hold things? | the hands | the ears | the nose | the hair
What do we call the five fingers and the palm together? | the hand | the foot | the knee | the neck
What is at the centre of our Solar System? | the Sun | the Earth | the Moon | Mars
What is the frozen water at the North and South Poles? | ice | sand | lava | salt
Which weather brings thunder and lightning? | a thunderstorm | a sunny day | a calm day | a clear night
What measures how hot or cold the weather is? | temperature | weight | length | speed
What do we call air moving quickly from place to place? | wind | rain | snow | fog
What do we call a cloud that is close to the ground? | fog | hail | snow | dew
What do we call melted rock that comes out of a volcano? | lava | sand | clay | snow
What do we call a shaking of the ground? | an earthquake | a rainbow | a tornado | a flood
What do we call a spinning column of wind that touches the ground? | a tornado | a rainbow | a glacier | a volcano
What do we call a lot of water covering land that is usually dry? | a flood | a drought | a desert | a breeze
What do we call a long time with no rain? | a drought | a flood | a storm | a blizzard
What do we call a heavy snowstorm with strong wind? | a blizzard | a drought | a heatwave | a rainbow
What do magnets attract? | iron | wood | glass | paper
What makes a light bulb glow? | electricity | water | sand | wind
What do batteries store? | energy | water | air | sand
What do we call a path that electricity flows around? | a circuit | a river | a road | a rope
What does a plant need to stay alive? | water | salt | oil | smoke
Which animal has a long neck and eats leaves from tall trees? | the giraffe | the hippo | the zebra | the rhino
Which animal has a shell and moves very slowly on land? | the tortoise | the rabbit | the horse | the cheetah
Which animal is black and white and eats bamboo? | the panda | the camel | the koala | the llama
Which animal has eight arms and lives in the sea? | the octopus | the dolphin | the seal | the turtle
Which insect makes honey? | the bee | the ant | the fly | the moth
Which bird is known for talking and copying sounds? | the parrot | the ostrich | the penguin | the eagle
Which animal is known as man's best friend? | the dog | the rat | the fox | the goat
Which animal carries people across deserts? | the camel | the penguin | the seal | the dolphin
Which animal lives in a hive? | the bee | the cow | the fox | the owl
Which animal hunts at night and hoots? | the owl | the cow | the duck | the hen
"""

COMMONSENSE = """
What do you use to cut paper? | scissors | a spoon | a pillow | a sock
What do you use to write on paper? | a pencil | a fork | a plate | a shoe
What do you use to eat soup? | a spoon | a knife | a hammer | a comb
What do you use to brush your teeth? | a toothbrush | a hairbrush | a paintbrush | a broom
What do you use to comb your hair? | a comb | a fork | a ruler | a key
What do you wear on your feet? | shoes | gloves | a hat | a scarf
What do you wear on your hands when it is cold? | gloves | socks | a belt | a tie
What do you wear on your head to keep warm? | a hat | a sock | a shoe | a belt
What do you use to keep dry in the rain? | an umbrella | a fan | sunglasses | a spoon
What do you wear to protect your eyes from bright sunlight? | sunglasses | earmuffs | a scarf | gloves
Where do you keep food cold at home? | in the refrigerator | in the oven | in the bathtub | in the wardrobe
Where do you cook a cake? | in an oven | in a fridge | in a sink | in a bath
Where do you usually sleep at night? | in a bed | in a bathtub | on the roof | in the oven
Where do you wash your body? | in the shower | in the oven | in the fridge | in the garden shed
What do you use to dry yourself after a shower? | a towel | a pillow | a plate | a newspaper
What do you sit on at a table? | a chair | a lamp | a cup | a window
What do you drink water from? | a glass | a plate | a fork | a shoe
What do you use to call someone far away? | a phone | a spoon | a brush | a ladder
What do you need to open a locked door? | a key | a cup | a sock | a leaf
What do you use to climb up to a high shelf? | a ladder | a pillow | a spoon | a hat
What do you put on a letter before you mail it? | a stamp | a button | a coin | a feather
What do you use to see the time? | a clock | a mirror | a pillow | a fork
What do you look into to see your own face? | a mirror | a wall | a book | a plate
What do you turn on when a room is dark? | the light | the tap | the fridge | the oven
What do you do when you are tired? | sleep | run | eat sand | shout
What do you do when you are hungry? | eat | sleep | swim | shout
What do you do when you are thirsty? | drink water | eat salt | run | read
What should you do before crossing a busy street? | look both ways | close your eyes | run without looking | lie down
What should you do if you see a fire in a building? | get out and call the fire service | hide under the bed | open all the windows and stay | pour oil on it
What should you do if you cut your finger slightly? | clean it and put on a plaster | ignore it and rub dirt in it | put it in the fire | hit it with a hammer
If it is raining outside, what might you take with you? | an umbrella | sunglasses only | a sun hat only | a beach towel
If a glass falls on a hard floor, what will probably happen? | it breaks | it floats | it melts | it grows
If you leave ice cream in the sun, what happens? | it melts | it freezes | it grows | it hardens
If you drop a ball, which way does it go? | down | up | left | right
If you plant a seed and water it, what may happen? | it grows into a plant | it turns into a stone | it flies away | it becomes a fish
If you do not water a plant for weeks, what happens? | it dries out and may die | it grows faster | it turns blue | it becomes a tree
If you touch a hot stove, what will happen? | you can burn your hand | your hand gets cold | nothing ever | your hand turns green
Why do people wear coats in winter? | to keep warm | to keep cool | to swim | to sleep
Why do people use fans in summer? | to feel cooler | to feel warmer | to cook food | to dry dishes
Why do we put food in the refrigerator? | to keep it fresh longer | to cook it | to make it hot | to make it bigger
Why do people brush their teeth? | to keep them clean and healthy | to make them longer | to change their colour to blue | to make them fall out
Why do people go to school? | to learn | to sleep | to cook | to swim
Why do cars need fuel or electricity? | to make them move | to make them heavier | to keep them cold | to paint them
Why do people set an alarm clock? | to wake up on time | to fall asleep | to cook breakfast | to cool the room
Why do people carry a map? | to find their way | to keep warm | to cook food | to sleep better
What happens when you mix water and dirt? | you get mud | you get fire | you get gold | you get ice
A baby cries. What does it probably need? | food, comfort or a nappy change | a car | a job | a newspaper
What is usually in a sandwich? | something between two slices of bread | only ice | soup and a spoon | a stone
Which is the best thing to do at a red traffic light? | stop | race | turn | honk
Which is bigger, a mouse or an elephant? | an elephant | a mouse | a flea | an ant
Which is heavier, a car or a coin? | a car | a coin | a leaf | a hair
Which is hotter, the Sun or an ice cube? | the Sun | an ice cube | a snowball | a glacier
Which is faster, a car on a highway or a walking person? | a car on a highway | a walking person | they are the same | neither moves
Which is taller, a giraffe or a cat? | a giraffe | a cat | a mouse | a frog
Which is longer, a day or an hour? | a day | an hour | a minute | a second
Which is colder, a snowy day or a hot summer day? | a snowy day | a hot summer day | a sunny beach | a warm oven
Which is louder, a whisper or a shout? | a shout | a whisper | a sigh | a hum
Which is softer, a pillow or a rock? | a pillow | a rock | a brick | a stone
Which is smaller, an ant or a horse? | an ant | a horse | a cow | a camel
Which is older, a grandfather or his grandson? | the grandfather | the grandson | the baby | the toddler
Which comes first, breakfast or dinner? | breakfast | dinner | supper | midnight
Which comes first in a day, morning or evening? | morning | evening | night | dusk
Which would float best in a bathtub? | a rubber duck | a brick | a hammer | a coin
Which would you use to carry water? | a bucket | a net | a sieve | a fork
Which is the best place to keep ice cream? | a freezer | a window | a cupboard | an oven
Which would you wear to go swimming? | a swimsuit | a winter coat | a suit and tie | heavy boots
What would you use to dig a hole in the garden? | a shovel | a spoon | a pencil | a pillow
What would you use to hit a nail? | a hammer | a sponge | a feather | a towel
What would you use to tighten a screw? | a screwdriver | a spoon | a comb | a sock
What would you use to sweep the floor? | a broom | a fork | a pillow | a pen
What would you use to paint a wall? | a paintbrush | a toothbrush | a fork | a key
What would you use to sew a button? | a needle and thread | a hammer | a shovel | a spoon
What would you use to take a photograph? | a camera | a kettle | a broom | a ruler
What would you use to boil water for tea? | a kettle | a freezer | a mirror | a towel
What would you use to measure how long a table is? | a tape measure | a thermometer | a clock | a spoon
What would you use to carry books to school? | a backpack | a bucket | a pan | a vase
What would you use to cross a wide river? | a boat or a bridge | a bicycle on the water | a ladder | an umbrella
What do people usually do at a birthday party? | eat cake and celebrate | go to work | take exams | pay taxes
What do you say when someone gives you a gift? | thank you | go away | goodbye | so what
What do you say when you meet someone in the morning? | good morning | good night | happy birthday | goodbye
What do you say when you bump into someone by accident? | sorry | hooray | cheers | bravo
What do people usually do in a cinema? | watch a film | cook dinner | sleep in a bed | swim
What do people usually do in a restaurant? | eat a meal | take a bath | repair cars | grow vegetables
What do people usually do at a swimming pool? | swim | bake | ski | knit
What do people usually do in a library? | read books quietly | play loud drums | cook food | play football
What do people usually do at a supermarket? | buy food | sleep | take exams | dance
What do people do with a broken toy? | fix it or throw it away | plant it | eat it | mail it to the Moon
If your shoes are wet and muddy, what should you do before entering a house? | take them off or wipe them | jump on the sofa | wear them to bed | paint them
If you are cold, what could you do? | put on a sweater | open the freezer | take a cold shower | sit in the snow
If you are too hot, what could you do? | drink cold water and rest in the shade | put on a heavy coat | sit by a fire | run in the midday sun
If a friend is sad, what is a kind thing to do? | listen and comfort them | laugh at them | ignore them | take their lunch
If the phone rings, what do you do? | answer it | bury it | throw it | paint it
If your hands are dirty, what should you do? | wash them | hide them | lick them | clap them
If you want to know what time a train leaves, where could you look? | the timetable | a cookbook | a dictionary | a map of the stars
If you forget a word's meaning, where can you look it up? | a dictionary | a calendar | a phone book | a menu
If you are lost in a city, who could you ask for help? | a police officer | a tree | a pigeon | a parked car
If a candle is lit in a dark room, what happens? | the room becomes brighter | the room becomes darker | the room gets colder | nothing changes at all
If you add sugar to tea, how does it taste? | sweeter | saltier | more bitter | sour
If you put a cup of hot tea on the table for an hour, what happens? | it cools down | it gets hotter | it freezes | it boils
If a car runs out of fuel, what happens? | it stops | it speeds up | it flies | it floats
If you leave bread out for many days, what can happen? | it goes stale or mouldy | it turns into cake | it gets fresher | it becomes a plant
If you stand in the rain without an umbrella, what happens? | you get wet | you stay dry | you get taller | you glow
If you have a headache, who could you ask for advice? | a doctor or pharmacist | a mechanic | a plumber | a lion
Tom is taller than Sam. Who is shorter? | Sam | Tom | both | none
Anna has three apples and gives one away. How many does she have left? | two | three | four | one
It is morning. What meal might you eat soon? | breakfast | dinner | supper | a feast
The shop is closed at night. When could you probably buy bread there? | in the daytime | at midnight | never | only on the Moon
A room has no windows and the light is off. How does it look? | dark | bright | sunny | shiny
Mia is older than Ben, and Ben is older than Leo. Who is the youngest? | Leo | Mia | Ben | all
Which is a better place to go swimming: a lake in summer or a frozen pond? | a lake in summer | a frozen pond | a dry desert | a snowy hill
You hear thunder. What weather is likely? | a storm | a heatwave | a clear sky | a dry spell
A plant is put in a dark cupboard for a month. What will probably happen to it? | it gets weak and pale | it grows greener | it flowers more | it turns into a tree
The kettle whistles. What has happened to the water? | it has boiled | it has frozen | it has vanished | it has cooled
Someone is yawning a lot. How do they probably feel? | tired | excited | hungry | angry
Someone is shivering and has cold hands. What might they need? | something warm | ice cream | a cold drink | a fan
The ground is wet and there are puddles. What probably happened? | it rained | it was sunny | it was windy | it was dry
A dog wags its tail. How is it probably feeling? | happy | angry | asleep | cold
Which of these can you eat? | an apple | a spoon | a chair | a shoe
Which of these can you wear? | a jacket | a table | a lamp | a sandwich
Which of these can fly? | a bird | a fish | a rock | a chair
Which of these can swim? | a fish | a bicycle | a stone | a book
Which of these is alive? | a tree | a rock | a car | a pencil
Which of these is made of glass? | a window | a pillow | a sock | a sandwich
Which of these is made of wood? | a wooden chair | a steel spoon | a glass bottle | a plastic bag
Which of these is a tool? | a hammer | a banana | a cloud | a song
Which of these is a vehicle? | a bus | a sofa | a tree | a lamp
Which of these is a piece of furniture? | a sofa | a carrot | a river | a cloud
Which of these is a musical instrument? | a guitar | a fork | a pillow | a sandwich
Which of these is a kind of weather? | rain | a chair | a spoon | a bowl
Which of these is a kind of food? | bread | a brick | a shoe | a lamp
Which of these is a kind of drink? | juice | sand | bread | a stone
Which of these is a body part? | an elbow | a chair | a cloud | a spoon
Which of these is an animal? | a rabbit | a table | a bottle | a pencil
Which of these is a kind of flower? | a rose | an oak | a potato | a pebble
Which of these is a kind of tree? | an oak | a rose | a carrot | a trout
Which of these is a room in a house? | the kitchen | the chimney | the doorbell | the mailbox
Which of these is a day of the week? | Friday | April | Winter | Morning
Which of these is a month? | August | Monday | Summer | Evening
Which of these is a season? | summer | Tuesday | noon | March
Which of these is a colour? | purple | table | running | seven
Which of these is a number? | twelve | yellow | quickly | chair
Which of these is a planet? | Jupiter | the Moon | the Sun | Sirius
Which of these grows on trees and is a fruit? | a pear | a carrot | a potato | an onion
Which of these is a sport? | tennis | sleeping | a chair | a spoon
Which of these is a job? | teacher | Tuesday | apple | blue
What would you use to wipe a spill on the table? | a cloth | a hammer | a pencil | a spoon
What would you use to light a candle? | a match | a spoon | a towel | a book
What would you use to open a can of beans? | a can opener | a toothbrush | a comb | a pillow
What would you use to water flowers in the garden? | a watering can | a frying pan | a telephone | a hat
What would you use to cut bread? | a bread knife | a spoon | a straw | a sponge
What would you use to iron a shirt? | an iron | a hammer | a fork | a kettle
What would you use to clean a carpet? | a vacuum cleaner | a frying pan | a toothbrush for teeth | a lamp
What would you use to send a message to a friend far away? | a phone | a broom | a chair | a plate
What would you put on bread to make it taste sweet? | jam | salt | chili | lemon
What would you put on a cut to keep it clean? | a plaster | butter | sand | glue
What do you need to ride a bicycle safely at night? | lights | a scarf | a spoon | slippers
What do you need to bake a cake? | flour, eggs and an oven | rocks and a freezer | sand and a bucket | nails and a hammer
What do you need to take a photo? | a camera or phone | a spoon | a pillow | a bucket
What do you need to play football? | a ball | a piano | a pan | a brush
What do you wear when you go to bed? | pyjamas | a swimsuit | a raincoat | a helmet
What do you bring to the beach to lie on? | a towel | a shovel | a coat | a desk
What should you wear on a bicycle to protect your head? | a helmet | a scarf | a crown | a sock
What is usually found in a kitchen? | a stove | a bathtub | a bed | a car
What is usually found in a bathroom? | a sink | a sofa | a fridge | a desk
What is usually found in a bedroom? | a bed | a cooker | a car | a bus
What is usually found in a classroom? | a blackboard or whiteboard | a bathtub | a cooker | a tractor
What is usually found in a garden? | flowers | a bathtub | an oven | a bed
Where would you find a lot of sand and waves? | at the beach | in a library | in a kitchen | on a bus
Where would you see many tall buildings? | in a big city | in a desert | in a small village | in a forest
Where would you probably see a cow? | on a farm | in a library | in a pool | in a bank
Where would you probably see a whale? | in the ocean | in a forest | on a farm | in a desert
Where do fish usually live? | in water | in trees | in deserts | in the sky
Where do birds often build nests? | in trees | in ovens | in rivers | in cars
Where do you put dirty clothes to clean them? | in the washing machine | in the oven | in the fridge | in the garden
Where do you put rubbish? | in a bin | on the table | in the bed | in a vase
What do you do with a book? | read it | eat it | wear it | drink it
What do you do with a song? | sing it | eat it | wear it | plant it
What do you do with a bicycle? | ride it | eat it | wear it | boil it
What do you do with a bed? | sleep in it | eat it | wear it | drink it
What do you do with a cup of water? | drink it | wear it | read it | plant it
What do you do with a coat? | wear it | eat it | drink it | read it
What do you do with a letter you receive? | read it | eat it | wear it | plant it
What do you do with seeds in spring? | plant them | wear them | read them | drink them
What do you usually do with an apple? | eat it | wear it | read it | ride it
What do you use a pillow for? | sleeping | cooking | writing | swimming
What do you use a towel for? | drying | cooking | writing | driving
What do you use a pen for? | writing | sleeping | cooking | swimming
What do you use a fork for? | eating | writing | sleeping | driving
What do you use a car for? | driving | eating | sleeping | reading
What do you use an oven for? | baking | reading | sleeping | swimming
What do you use soap for? | washing | reading | driving | sleeping
What do you use a bed for? | sleeping | cooking | writing | driving
What do you use a ladder for? | climbing | eating | reading | sleeping
What do you use a cup for? | drinking | sleeping | writing | driving
What do you use a needle for? | sewing | driving | reading | sleeping
What do you use your ears for? | hearing | eating | walking | writing
What do you use your nose for? | smelling | walking | writing | hearing
What do you use your legs for? | walking | hearing | smelling | seeing
What do you use your eyes for? | seeing | hearing | smelling | walking
Where do you keep your clothes? | in a wardrobe | in an oven | in a fridge | in a sink
Where do you wash the dishes? | in the sink | in the bed | in the car | in the garden
Where do cars drive? | on roads | in rivers | on roofs | in trees
Where do trains run? | on tracks | in rivers | on roofs | in trees
Where do ships sail? | on the sea | on roads | in the sky | in trees
Where does a farmer grow crops? | in fields | in ovens | in lakes | in cars
Where do you buy medicine? | at a pharmacy | at a zoo | at a beach | at a stadium
Where do you go to post a parcel? | the post office | the swimming pool | the cinema | the forest
Where do you go to watch a football match? | a stadium | a library | a hospital | a bakery
Where do children play on swings and slides? | a playground | a hospital | a bank | an office
What do you need to open when you want to go outside? | the door | the fridge | the oven | the book
What happens when you switch off the lights at night? | it gets dark | it gets hot | it gets loud | it rains
What happens if you leave milk out of the fridge for days? | it goes sour | it turns sweet | it gets colder | it freezes
What happens to your clothes in the rain? | they get wet | they get dry | they shrink away | they glow
What happens when you blow on a candle flame? | it goes out | it grows | it freezes | it sings
What happens when you heat ice? | it melts | it grows | it hardens | it sings
What happens to a balloon if you prick it with a pin? | it pops | it grows | it sings | it sleeps
What do you feel when you touch ice? | cold | hot | warm | sticky
What do you feel when you touch a hot cup of tea? | heat | cold | rain | wind
Which is heavier, a brick or a leaf? | a brick | a leaf | a hair | a petal
Which is faster, a plane or a bicycle? | a plane | a bicycle | a snail | a turtle
Which is bigger, a house or a shoe? | a house | a shoe | a sock | a coin
Which is wetter, the sea or a desert? | the sea | a desert | a dry stone | dry sand
Which is sweeter, sugar or salt? | sugar | salt | pepper | vinegar
Which is brighter, the Sun at noon or the Moon at night? | the Sun at noon | the Moon at night | a candle | a star
Which is quieter, a library or a loud party? | a library | a loud party | a drum show | a fire alarm
Which is sharper, a knife or a spoon? | a knife | a spoon | a pillow | a ball
Which usually lives longer, a tortoise or a mouse? | a tortoise | a mouse | a mayfly | a fly
What time of day do most people eat dinner? | evening | dawn | sunrise | midnight
What season comes after winter? | spring | autumn | summer | winter
What season comes after spring? | summer | winter | autumn | spring
"""
