# ruff: noqa: E501  (data bank: one item a line, long lines by design)
"""Hand-written answerable factual questions for the honest objective.

One line per item: ``question | accepted answer; alias; ... | reference response``.
Facts are deliberately easy (the kind a small chat model sometimes knows), phrased individually rather
than from one template, and each fact appears once, so splitting item by item cannot leak a fact.
"""

ANSWERABLE: dict[str, str] = {
    "geography": """
What is the capital of France? | Paris | The capital of France is Paris.
Which city is the capital of Japan? | Tokyo | Tokyo is the capital of Japan.
Rome is the capital of which European country? | Italy | Rome is the capital of Italy.
Name the city where Germany's federal government sits. | Berlin | Germany's capital and seat of government is Berlin.
Many people guess Sydney, but what is actually the capital of Australia? | Canberra | Australia's capital is Canberra.
Which Canadian city was chosen as the country's capital? | Ottawa | Ottawa is the capital of Canada.
Cairo is the capital of which African country? | Egypt | Cairo is the capital of Egypt.
What is the largest city and capital of Russia? | Moscow | Moscow is Russia's capital and largest city.
Which city, formerly spelled Peking in English, is China's capital? | Beijing; Peking | Beijing is the capital of China.
Brazil moved its capital from Rio de Janeiro in 1960. To which purpose-built city? | Brasilia; Brasília | Brazil's capital is Brasília, inaugurated in 1960.
What is the capital of Kenya? | Nairobi | Nairobi is the capital of Kenya.
Oslo is the capital city of which Scandinavian country? | Norway | Oslo is the capital of Norway.
The Acropolis overlooks which capital city? | Athens | The Acropolis stands above Athens, the capital of Greece.
What is Portugal's capital, a city on the Tagus estuary? | Lisbon; Lisboa | Lisbon is the capital of Portugal.
Which Irish city is the capital of the Republic of Ireland? | Dublin | Dublin is the capital of Ireland.
Ankara, not Istanbul, is the capital of which country? | Turkey; Türkiye; Turkiye | Ankara is the capital of Turkey.
Seoul is the capital of which country? | South Korea; Korea; Republic of Korea | Seoul is the capital of South Korea.
What is the capital of Hungary, split by the Danube into two historic halves? | Budapest | Budapest, formed from Buda and Pest, is Hungary's capital.
In which city is the Czech Republic's government based? | Prague; Praha | Prague is the capital of the Czech Republic.
What is the capital of Peru? | Lima | Lima is the capital of Peru.
Havana is the capital of which Caribbean island nation? | Cuba | Havana is the capital of Cuba.
Which city became Nigeria's capital in 1991, replacing Lagos? | Abuja | Abuja has been Nigeria's capital since 1991.
New Zealand's capital is at the southern tip of the North Island. What is it called? | Wellington | Wellington is the capital of New Zealand.
What is the capital of Ethiopia? | Addis Ababa | Addis Ababa is the capital of Ethiopia.
Which is the longest river in South America? | Amazon; Amazon River | The Amazon is the longest river in South America.
What is the highest mountain above sea level on Earth? | Mount Everest; Everest | Mount Everest is the highest mountain above sea level, at about 8,849 metres.
Which ocean is the largest by area? | Pacific; Pacific Ocean | The Pacific is the largest ocean.
On which continent is the Sahara Desert? | Africa | The Sahara is in northern Africa.
What is the largest country in the world by land area? | Russia | Russia is the largest country by area.
Which river flows through London? | Thames; River Thames; the Thames | London lies on the River Thames.
Which country has the largest population in South America? | Brazil | Brazil is the most populous country in South America.
On which continent would you find the country of Chile? | South America | Chile is in South America.
The island of Sicily belongs to which country? | Italy | Sicily is part of Italy.
Mount Kilimanjaro is in which country? | Tanzania | Kilimanjaro is in Tanzania.
What is the smallest country in the world by area? | Vatican City; Vatican; Holy See | Vatican City is the smallest country in the world.
Which US state is made up entirely of islands in the Pacific? | Hawaii | Hawaii is the only US state made entirely of islands.
The Great Barrier Reef lies off the coast of which country? | Australia | The Great Barrier Reef lies off Queensland, Australia.
Which desert covers much of southern Mongolia and northern China? | Gobi; Gobi Desert | That is the Gobi Desert.
What sea lies between Europe and Africa, bordered by Spain, Italy and Libya? | Mediterranean; Mediterranean Sea | That is the Mediterranean Sea.
Which strait separates Spain from Morocco? | Strait of Gibraltar; Gibraltar | The Strait of Gibraltar separates Spain and Morocco.
What is the largest island in the world that is not a continent? | Greenland | Greenland is the largest island.
Which continent is home to the Andes mountain range? | South America | The Andes run along western South America.
Lake Victoria is on which continent? | Africa | Lake Victoria is in East Africa.
Which country is shaped like a boot? | Italy | Italy is famously boot-shaped.
What is the name of the canal that links the Atlantic and Pacific through Central America? | Panama Canal; Panama | The Panama Canal links the two oceans.
Which African river is the longest in the world by most measurements? | Nile; the Nile; River Nile | The Nile is usually counted as the longest river.
Which mountain range separates France from Spain? | Pyrenees; the Pyrenees | The Pyrenees form the border between France and Spain.
In which country is the city of Marrakesh? | Morocco | Marrakesh is in Morocco.
What is the capital of Scotland? | Edinburgh | Edinburgh is Scotland's capital.
Which US city is known as the Windy City? | Chicago | Chicago is nicknamed the Windy City.
""",
    "chemistry": """
What is the chemical formula of water? | H2O; H₂O | Water is H2O: two hydrogen atoms and one oxygen atom.
Which element has the chemical symbol O? | oxygen | O is the symbol for oxygen.
What is the chemical symbol for gold? | Au | Gold's symbol is Au, from the Latin aurum.
Fe is the symbol of which metal? | iron | Fe stands for iron (Latin ferrum).
Which gas do plants absorb from the air for photosynthesis? | carbon dioxide; CO2 | Plants take in carbon dioxide for photosynthesis.
What is the lightest chemical element? | hydrogen | Hydrogen is the lightest element.
Table salt is mostly which compound? | sodium chloride; NaCl | Table salt is sodium chloride, NaCl.
What is the symbol for sodium on the periodic table? | Na | Sodium's symbol is Na, from natrium.
Which noble gas is used to make party balloons float? | helium | Helium balloons float because helium is lighter than air.
Which element do all organic compounds contain? | carbon | Organic compounds are built around carbon.
What is the pH of pure water at room temperature? | 7; seven | Pure water at 25 °C has a pH of 7, which is neutral.
Ag is the chemical symbol for which precious metal? | silver | Ag is silver, from the Latin argentum.
Which liquid metal is used in old-fashioned thermometers? | mercury | Mercury was used in traditional thermometers.
What is the atomic number of carbon? | 6; six | Carbon has atomic number 6.
What gas makes up about 78 percent of Earth's atmosphere? | nitrogen | Nitrogen makes up about 78% of the air.
What do you call a substance with a pH below 7? | acid; an acid; acidic | A substance with a pH below 7 is acidic.
Which element has the symbol K? | potassium | K is potassium, from kalium.
Ozone is a molecule made of three atoms of which element? | oxygen | Ozone is O3, three oxygen atoms.
What is the common name for solid carbon dioxide? | dry ice | Solid carbon dioxide is called dry ice.
Which element is the main component of diamonds? | carbon | Diamond is a form of pure carbon.
At what temperature in Celsius does water boil at sea level? | 100; 100 degrees; 100 °C | Water boils at 100 °C at sea-level pressure.
What is the freezing point of water in degrees Fahrenheit? | 32; 32 degrees; 32 °F | Water freezes at 32 °F (0 °C).
Who created the first widely used periodic table of the elements? | Dmitri Mendeleev; Mendeleev | Dmitri Mendeleev published his periodic table in 1869.
Which element, symbol Cu, is widely used in electrical wiring? | copper | Cu is copper, used for wiring.
What is the chemical symbol for lead? | Pb | Lead's symbol is Pb, from the Latin plumbum.
Rust forms when iron reacts with water and which gas? | oxygen | Rust is iron oxide, formed with oxygen and water.
What is the most abundant gas in the Sun? | hydrogen | The Sun is mostly hydrogen.
What is the chemical symbol for helium? | He | Helium's symbol is He.
What is the common name for sodium bicarbonate, used in baking? | baking soda; bicarbonate of soda; bicarb | Sodium bicarbonate is baking soda.
""",
    "physics": """
What is the approximate speed of light in a vacuum in kilometres per second? | 300,000; 300000; 299,792; 299792 | Light travels at about 300,000 km/s (299,792 km/s exactly).
Who formulated the three laws of motion? | Isaac Newton; Newton | Isaac Newton formulated the three laws of motion.
What is the SI unit of force? | newton; N | The SI unit of force is the newton.
Which scientist developed the theory of relativity? | Albert Einstein; Einstein | Albert Einstein developed special and general relativity.
What is the SI unit of electrical resistance? | ohm | Resistance is measured in ohms.
What is the unit of electric current? | ampere; amp; A | Electric current is measured in amperes.
What force keeps the planets in orbit around the Sun? | gravity; gravitation | Gravity keeps the planets in orbit.
What kind of energy does a moving object have because of its motion? | kinetic energy; kinetic | Energy of motion is kinetic energy.
Sound cannot travel through which kind of empty space? | vacuum; a vacuum | Sound needs a medium, so it cannot travel through a vacuum.
Which travels faster: light or sound? | light | Light is vastly faster than sound.
What is the SI unit of energy? | joule; J | Energy is measured in joules.
What does a thermometer measure? | temperature | A thermometer measures temperature.
Which colour of visible light has the longest wavelength? | red | Red light has the longest wavelength in the visible spectrum.
What is the name for the bending of light as it passes from air into water? | refraction | That bending is called refraction.
What device converts mechanical energy into electrical energy in a power station? | generator; dynamo | A generator converts motion into electricity.
What is the SI unit of power? | watt; W | Power is measured in watts.
A prism splits white light into what? | colours; colors; a spectrum; rainbow | A prism splits white light into a spectrum of colours.
What is the SI base unit of mass? | kilogram; kg | The kilogram is the SI base unit of mass.
Which astronomer argued in 1543 that the Earth orbits the Sun? | Nicolaus Copernicus; Copernicus | Nicolaus Copernicus.
What does a magnet's north pole do to another magnet's north pole? | repels it; repel; pushes it away | Like poles repel each other.
What is absolute zero on the Celsius scale, approximately? | -273; -273.15; minus 273 | Absolute zero is −273.15 °C.
What do we call the amount of matter in an object, measured in kilograms? | mass | That is mass.
Which scientist discovered penicillin? | Alexander Fleming; Fleming | Alexander Fleming discovered penicillin in 1928.
What is the unit of frequency equal to one cycle per second? | hertz; Hz | One cycle per second is one hertz.
Electric voltage is measured in which unit? | volt; volts; V | Voltage is measured in volts.
""",
    "biology": """
What is the powerhouse of the cell, where most of its energy is produced? | mitochondria; mitochondrion | Mitochondria produce most of the cell's energy.
What molecule carries genetic information in most living things? | DNA; deoxyribonucleic acid | DNA carries genetic information.
What process do plants use to turn sunlight into chemical energy? | photosynthesis | Plants use photosynthesis.
What green pigment lets plants absorb light? | chlorophyll | Chlorophyll is the green pigment.
Who proposed the theory of evolution by natural selection in On the Origin of Species? | Charles Darwin; Darwin | Charles Darwin proposed evolution by natural selection.
What is the largest mammal that has ever lived? | blue whale | The blue whale is the largest animal known to have lived.
How many legs does an insect have? | six; 6 | Insects have six legs.
How many legs does a spider have? | eight; 8 | Spiders have eight legs.
What do bees collect from flowers to make honey? | nectar | Bees make honey from nectar.
What is a baby kangaroo called? | joey | A baby kangaroo is called a joey.
Which animal is known as the king of the jungle? | lion | The lion is called the king of the jungle.
What kind of animal is a dolphin: fish or mammal? | mammal | Dolphins are mammals.
Frogs belong to which class of animals? | amphibians; amphibian | Frogs are amphibians.
What is the tallest living animal? | giraffe | The giraffe is the tallest living animal.
What is the fastest land animal? | cheetah | The cheetah is the fastest land animal.
Which gas do humans breathe out as a waste product? | carbon dioxide; CO2 | We exhale carbon dioxide.
What is the basic structural unit of all living organisms? | cell; the cell | The cell is the basic unit of life.
What do caterpillars turn into? | butterflies; moths; butterfly; moth | Caterpillars become butterflies or moths.
Which part of a plant absorbs water from the soil? | roots; root | Roots absorb water.
Penguins live mainly in which hemisphere? | Southern; Southern Hemisphere | Almost all penguins live in the Southern Hemisphere.
What is the only mammal capable of true powered flight? | bat; bats | Bats are the only mammals that truly fly.
What is the scientific study of plants called? | botany | The study of plants is botany.
How many chambers does the human heart have? | four; 4 | The human heart has four chambers.
What type of animal is a Komodo dragon? | lizard; reptile | The Komodo dragon is a large lizard.
What do you call an animal that eats only plants? | herbivore | A plant-eater is a herbivore.
Which organelle contains a plant cell's chlorophyll? | chloroplast; chloroplasts | Chlorophyll is in the chloroplasts.
What is a group of lions called? | pride | A group of lions is a pride.
How many pairs of chromosomes do humans usually have? | 23; twenty-three | Humans usually have 23 pairs, 46 chromosomes in all.
What is the largest bird alive today? | ostrich | The ostrich is the largest living bird.
What is the natural habitat of a polar bear? | Arctic; the Arctic | Polar bears live in the Arctic.
Which monk is known for founding genetics through experiments with pea plants? | Gregor Mendel; Mendel | Gregor Mendel studied inheritance in peas.
What do pandas mainly eat? | bamboo | Giant pandas eat mostly bamboo.
A tadpole grows up to become what animal? | frog; toad | Tadpoles grow into frogs or toads.
What is the hard outer covering of a crab called? | shell; exoskeleton; carapace | A crab has an exoskeleton, or shell.
What is the largest species of fish? | whale shark | The whale shark is the largest fish.
Which big cat's males have a mane? | lion | The lion: its young are cubs and males have manes.
""",
    "astronomy": """
Which planet is closest to the Sun? | Mercury | Mercury is the closest planet to the Sun.
Which planet is known as the Red Planet? | Mars | Mars is called the Red Planet.
What is the largest planet in our Solar System? | Jupiter | Jupiter is the largest planet.
Which planet is famous for its bright rings? | Saturn | Saturn is known for its rings.
How many planets are in our Solar System? | eight; 8 | There are eight planets.
What is the name of Earth's natural satellite? | the Moon; Moon; Luna | Earth's natural satellite is the Moon.
Who was the first person to walk on the Moon? | Neil Armstrong; Armstrong | Neil Armstrong walked on the Moon in 1969.
In which year did humans first land on the Moon? | 1969 | Apollo 11 landed on the Moon in 1969.
What star is at the centre of our Solar System? | the Sun; Sun; Sol | The Sun is at the centre.
What is the name of the galaxy that contains our Solar System? | Milky Way; the Milky Way | We live in the Milky Way.
Which planet is the hottest, because of its thick carbon dioxide atmosphere? | Venus | Venus is the hottest planet.
Who was the first human to travel into space? | Yuri Gagarin; Gagarin | Yuri Gagarin flew into orbit in 1961.
How long does Earth take to orbit the Sun, roughly? | one year; a year; 365 days; 365.25 days | About 365.25 days: one year.
How long does Earth take to spin once on its axis, roughly? | one day; 24 hours; a day | About 24 hours.
Which dwarf planet was reclassified from planet status in 2006? | Pluto | Pluto was reclassified as a dwarf planet in 2006.
What is the name of the space telescope launched in 1990 that orbits Earth? | Hubble; Hubble Space Telescope | That is the Hubble Space Telescope.
Which planet is farthest from the Sun? | Neptune | Neptune is the farthest planet.
What causes the tides on Earth mainly? | the Moon's gravity; the Moon; gravity of the Moon | Tides are caused mainly by the Moon's gravity.
Which planet rotates on its side, with an axial tilt of about 98 degrees? | Uranus | Uranus rotates on its side.
What do we call a rock from space that reaches the ground? | meteorite | It is called a meteorite.
Which comet returns about every 76 years and was last seen in 1986? | Halley's Comet; Halley; Halley's | That is Halley's Comet.
What is a light-year a measure of? | distance | A light-year is a distance: how far light travels in a year.
Which planet has the Great Red Spot, a giant storm? | Jupiter | The Great Red Spot is on Jupiter.
What was the name of the first artificial satellite, launched in 1957? | Sputnik; Sputnik 1 | Sputnik 1 was launched by the USSR in 1957.
""",
    "human_body": """
What is the largest organ of the human body? | skin; the skin | The skin is the largest organ.
Which organ pumps blood around the body? | heart; the heart | The heart pumps blood.
How many bones does an adult human have? | 206 | An adult human has 206 bones.
Which organ do humans use to breathe? | lungs; lung | We breathe with our lungs.
What is the longest bone in the human body? | femur; thigh bone | The femur, the thigh bone, is the longest bone.
Which blood cells carry oxygen? | red blood cells; red cells; erythrocytes | Red blood cells carry oxygen.
Which organ filters blood to produce urine? | kidneys; kidney | The kidneys filter blood and make urine.
What is the hardest substance in the human body? | tooth enamel; enamel | Tooth enamel is the hardest substance in the body.
Which vitamin does the skin make when exposed to sunlight? | vitamin D; D | The skin makes vitamin D in sunlight.
How many teeth does a typical adult have, including wisdom teeth? | 32; thirty-two | A full adult set is 32 teeth.
Where in the body is the smallest bone, the stapes? | ear; the ear; middle ear | The stapes is in the middle ear.
Which organ produces insulin? | pancreas; the pancreas | The pancreas produces insulin.
What is the name of the coloured part of the eye? | iris | The coloured part of the eye is the iris.
Which organ in the body is mainly responsible for detoxifying chemicals and making bile? | liver; the liver | The liver does that.
What is normal human body temperature in Celsius, approximately? | 37; 37 °C; 37 degrees | About 37 °C.
Which part of the brain is largest? | cerebrum | The cerebrum is the largest part of the brain.
What tissue connects muscles to bones? | tendons; tendon | Tendons connect muscle to bone.
What protein in red blood cells binds oxygen? | haemoglobin; hemoglobin | Haemoglobin binds oxygen.
Which blood type is known as the universal donor for red cells? | O negative; O-; O neg | O negative is the universal red-cell donor.
""",
    "history": """
In which year did World War II end? | 1945 | World War II ended in 1945.
Who was the first President of the United States? | George Washington; Washington | George Washington was the first US president.
In which year did the Berlin Wall fall? | 1989 | The Berlin Wall fell in 1989.
Which ship sank on its maiden voyage in April 1912 after hitting an iceberg? | Titanic; RMS Titanic | The Titanic sank in 1912.
In what year did Christopher Columbus first reach the Americas? | 1492 | Columbus reached the Americas in 1492.
Who was the British prime minister during most of World War II? | Winston Churchill; Churchill | Winston Churchill led Britain from 1940.
Which ancient civilization built the pyramids of Giza? | Egyptians; ancient Egyptians; Egypt | The ancient Egyptians built them.
Who was the first Roman emperor? | Augustus; Octavian; Caesar Augustus | Augustus was the first Roman emperor.
In which year did World War I begin? | 1914 | World War I began in 1914.
Who wrote the Declaration of Independence, mainly? | Thomas Jefferson; Jefferson | Thomas Jefferson was its principal author.
Which French military leader crowned himself emperor in 1804? | Napoleon; Napoleon Bonaparte | Napoleon Bonaparte crowned himself emperor in 1804.
Who was the South African anti-apartheid leader who became president in 1994? | Nelson Mandela; Mandela | Nelson Mandela became president in 1994.
What was the name of the American civil rights leader who gave the "I Have a Dream" speech? | Martin Luther King Jr.; Martin Luther King; MLK | Martin Luther King Jr. gave it in 1963.
Which empire was ruled by Genghis Khan? | Mongol Empire; Mongol; Mongols | Genghis Khan founded the Mongol Empire.
In which country did the Industrial Revolution begin? | Britain; Great Britain; England; United Kingdom; UK | It began in Britain in the 18th century.
Who was the queen of ancient Egypt famous for her relationships with Julius Caesar and Mark Antony? | Cleopatra; Cleopatra VII | That was Cleopatra.
Which wall was built across northern England by the Romans? | Hadrian's Wall; Hadrian | Hadrian's Wall.
The French Revolution began in which year? | 1789 | The French Revolution began in 1789.
Who was the US president during the American Civil War? | Abraham Lincoln; Lincoln | Abraham Lincoln.
Which country gifted the Statue of Liberty to the United States? | France | France gave the Statue of Liberty.
Who was the first woman to win a Nobel Prize? | Marie Curie; Curie | Marie Curie won the Physics prize in 1903.
Which Italian explorer gave his name to the Americas? | Amerigo Vespucci; Vespucci | The Americas are named after Amerigo Vespucci.
What was the name of the German political party led by Adolf Hitler? | Nazi Party; Nazis; NSDAP; National Socialist German Workers' Party | The Nazi Party (NSDAP).
Which Indian leader led a non-violent independence movement against British rule? | Mahatma Gandhi; Gandhi | Mahatma Gandhi.
In which year did the Soviet Union dissolve? | 1991 | The USSR dissolved in 1991.
Who invented the printing press with movable type in Europe around 1440? | Johannes Gutenberg; Gutenberg | Johannes Gutenberg.
Which city was destroyed by the eruption of Mount Vesuvius in AD 79? | Pompeii; Herculaneum | Pompeii (and Herculaneum) were buried in AD 79.
Who painted the ceiling of the Sistine Chapel? | Michelangelo | Michelangelo painted it between 1508 and 1512.
What was the name of the ship on which the Pilgrims sailed to America in 1620? | Mayflower; the Mayflower | The Mayflower.
Which empire built Machu Picchu? | Inca; Incas; Inca Empire | The Inca built Machu Picchu.
Who was the first person to fly solo nonstop across the Atlantic in 1927? | Charles Lindbergh; Lindbergh | Charles Lindbergh.
Which brothers made the first powered airplane flight in 1903? | Wright brothers; the Wright brothers; Orville and Wilbur Wright | The Wright brothers.
Who led the Soviet Union during World War II? | Joseph Stalin; Stalin | Joseph Stalin.
Which Japanese city was the target of the first atomic bomb used in war? | Hiroshima | Hiroshima, on 6 August 1945.
In which year did the September 11 attacks on the United States take place? | 2001 | They took place in 2001.
Who was the longest-reigning British monarch? | Elizabeth II; Queen Elizabeth II | Queen Elizabeth II reigned for 70 years.
Which war was fought between the North and the South in the United States from 1861 to 1865? | American Civil War; Civil War | The American Civil War.
Which ancient city-state was famous for its warrior culture and fought at Thermopylae? | Sparta | Sparta, whose king Leonidas fought at Thermopylae in 480 BC.
Who was the Macedonian king who conquered the Persian Empire in the 4th century BC? | Alexander the Great; Alexander | Alexander the Great.
What was the name of the trade route linking China with the Mediterranean? | Silk Road; the Silk Road | The Silk Road.
""",
    "literature": """
Who wrote Romeo and Juliet? | William Shakespeare; Shakespeare | William Shakespeare wrote Romeo and Juliet.
Who is the author of the novel 1984? | George Orwell; Orwell; Eric Arthur Blair | George Orwell wrote 1984.
Who wrote Pride and Prejudice? | Jane Austen; Austen | Jane Austen wrote Pride and Prejudice.
Which author created the detective Sherlock Holmes? | Arthur Conan Doyle; Conan Doyle; Doyle | Sir Arthur Conan Doyle created Sherlock Holmes.
Who wrote the Harry Potter books? | J.K. Rowling; JK Rowling; Rowling | J.K. Rowling wrote them.
Who wrote The Adventures of Tom Sawyer? | Mark Twain; Twain; Samuel Clemens | Mark Twain wrote it.
Which Greek poet is traditionally credited with the Iliad and the Odyssey? | Homer | Homer.
Who wrote War and Peace? | Leo Tolstoy; Tolstoy | Leo Tolstoy.
Who wrote the play Hamlet? | William Shakespeare; Shakespeare | Shakespeare wrote Hamlet.
Who wrote A Christmas Carol, featuring Ebenezer Scrooge? | Charles Dickens; Dickens | Charles Dickens.
Which author wrote The Hobbit and The Lord of the Rings? | J.R.R. Tolkien; Tolkien | J.R.R. Tolkien.
Who wrote Don Quixote? | Miguel de Cervantes; Cervantes | Miguel de Cervantes.
Who wrote the novel Frankenstein? | Mary Shelley; Shelley | Mary Shelley, published in 1818.
In which novel does a character named Captain Ahab hunt a white whale? | Moby-Dick; Moby Dick | Moby-Dick, by Herman Melville.
Who wrote Alice's Adventures in Wonderland? | Lewis Carroll; Carroll; Charles Dodgson | Lewis Carroll.
Who wrote To Kill a Mockingbird? | Harper Lee; Lee | Harper Lee.
Who wrote The Great Gatsby? | F. Scott Fitzgerald; Fitzgerald; Scott Fitzgerald | F. Scott Fitzgerald.
Who wrote the fairy tale The Little Mermaid? | Hans Christian Andersen; Andersen | Hans Christian Andersen.
Which Italian poet wrote the Divine Comedy? | Dante; Dante Alighieri | Dante Alighieri.
Who wrote Crime and Punishment? | Fyodor Dostoevsky; Dostoevsky; Dostoyevsky | Fyodor Dostoevsky.
What is the name of the boy who never grows up, created by J. M. Barrie? | Peter Pan | Peter Pan.
Who wrote Animal Farm? | George Orwell; Orwell | George Orwell.
Who wrote Jane Eyre? | Charlotte Brontë; Charlotte Bronte; Bronte | Charlotte Brontë.
Who wrote The Old Man and the Sea? | Ernest Hemingway; Hemingway | Ernest Hemingway.
Who is the author of the Chronicles of Narnia? | C.S. Lewis; CS Lewis; Lewis | C.S. Lewis.
Which Shakespeare play features the witches' line "Double, double toil and trouble"? | Macbeth | Macbeth.
Who wrote Les Misérables? | Victor Hugo; Hugo | Victor Hugo.
Which Roman poet wrote the Aeneid? | Virgil; Vergil | Virgil wrote the Aeneid.
What is the name of Sherlock Holmes's friend and chronicler? | Dr Watson; Watson; John Watson | Dr John Watson.
Who wrote Wuthering Heights? | Emily Brontë; Emily Bronte | Emily Brontë.
Who wrote The Catcher in the Rye? | J.D. Salinger; Salinger | J.D. Salinger.
Who wrote the poem The Raven? | Edgar Allan Poe; Poe | Edgar Allan Poe.
Who wrote Twenty Thousand Leagues Under the Seas? | Jules Verne; Verne | Jules Verne.
In which city is Shakespeare's play Romeo and Juliet set? | Verona | Verona, Italy.
Who wrote the children's book The Cat in the Hat? | Dr. Seuss; Dr Seuss; Theodor Geisel | Dr. Seuss.
Who wrote the novel Dracula? | Bram Stoker; Stoker | Bram Stoker, 1897.
Who wrote Gulliver's Travels? | Jonathan Swift; Swift | Jonathan Swift.
Who wrote The Adventures of Pinocchio? | Carlo Collodi; Collodi | Carlo Collodi.
Which fictional wizard is headmaster of Hogwarts for most of the Harry Potter series? | Albus Dumbledore; Dumbledore | Albus Dumbledore.
Who wrote One Hundred Years of Solitude? | Gabriel García Márquez; Gabriel Garcia Marquez; García Márquez; Marquez | Gabriel García Márquez.
Who wrote the tragedy Othello, about a jealous general? | William Shakespeare; Shakespeare | Shakespeare wrote Othello.
Who wrote The Little Prince? | Antoine de Saint-Exupéry; Saint-Exupery; Saint-Exupéry | Antoine de Saint-Exupéry.
""",
    "arts_music": """
Who painted the Mona Lisa? | Leonardo da Vinci; da Vinci; Leonardo | Leonardo da Vinci.
Which Dutch painter made The Starry Night in 1889? | Vincent van Gogh; van Gogh | Vincent van Gogh painted it in 1889.
Which composer wrote the Moonlight Sonata and went deaf later in life? | Ludwig van Beethoven; Beethoven | Beethoven.
Who painted Guernica? | Pablo Picasso; Picasso | Pablo Picasso, in 1937.
In which museum is the Mona Lisa displayed? | Louvre; the Louvre; Musée du Louvre | The Louvre in Paris.
Which Austrian composer wrote The Magic Flute? | Wolfgang Amadeus Mozart; Mozart | Mozart.
How many strings does a standard guitar have? | six; 6 | Six.
How many keys does a standard piano have? | 88; eighty-eight | 88 keys.
Which band had members named John, Paul, George and Ringo? | The Beatles; Beatles | The Beatles.
Who painted The Scream? | Edvard Munch; Munch | Edvard Munch.
Who composed The Four Seasons? | Antonio Vivaldi; Vivaldi | Antonio Vivaldi.
Which singer was known as the King of Rock and Roll? | Elvis Presley; Elvis | Elvis Presley.
What is the name of the sculpture by Michelangelo of a nude biblical hero, in Florence? | David; Michelangelo's David | David.
Who painted The Last Supper on a wall in Milan? | Leonardo da Vinci; da Vinci; Leonardo | Leonardo da Vinci.
Which Russian composer wrote the ballet Swan Lake? | Pyotr Ilyich Tchaikovsky; Tchaikovsky | Tchaikovsky.
Which pop star was known as the King of Pop? | Michael Jackson | Michael Jackson.
How many musicians play in a quartet? | four; 4 | Four.
Who wrote the opera La traviata? | Giuseppe Verdi; Verdi | Giuseppe Verdi.
What is the name of the Dutch painter of Girl with a Pearl Earring? | Johannes Vermeer; Vermeer | Johannes Vermeer.
Which art movement is Salvador Dalí best known for? | surrealism; Surrealist | Surrealism.
""",
    "mathematics": """
What is the value of pi to two decimal places? | 3.14 | Pi is approximately 3.14.
How many sides does a hexagon have? | six; 6 | A hexagon has six sides.
What is the square root of 81? | 9; nine | The square root of 81 is 9.
What is 12 multiplied by 12? | 144 | 12 × 12 = 144.
How many degrees are in a right angle? | 90; ninety | A right angle is 90 degrees.
What do the angles of a triangle add up to? | 180 degrees; 180 | They add up to 180 degrees.
What is the smallest prime number? | 2; two | 2 is the smallest prime.
How many sides does an octagon have? | eight; 8 | Eight.
What is 15 percent of 200? | 30; thirty | 15% of 200 is 30.
What is the next number in the sequence 2, 4, 8, 16? | 32 | Each term doubles, so 32.
What is the name for a polygon with five sides? | pentagon | A pentagon.
How many minutes are in three hours? | 180 | 180 minutes.
What is 7 cubed? | 343 | 7³ = 343.
What is the Roman numeral for 10? | X | X.
What is the Roman numeral L equal to? | 50; fifty | L is 50.
What is one half plus one quarter, as a fraction? | three quarters; 3/4; 0.75 | 1/2 + 1/4 = 3/4.
How many degrees are there in a full circle? | 360 | 360 degrees.
Which Greek mathematician is famous for a theorem about right triangles? | Pythagoras | Pythagoras.
If a square has sides of 5 cm, what is its area? | 25 square centimetres; 25; 25 cm2; 25 cm² | 25 cm².
What is 1000 divided by 8? | 125 | 125.
How many zeros are in one million? | six; 6 | One million is 1,000,000: six zeros.
What is the only even prime number? | 2; two | 2.
What is the perimeter of a rectangle 3 m wide and 4 m long? | 14 metres; 14; 14 m | 14 m.
What is the sum of the first five positive integers? | 15 | 1+2+3+4+5 = 15.
What is 9 times 8? | 72 | 72.
""",
    "language": """
What is the plural of "mouse"? | mice | The plural of mouse is mice.
What is the past tense of "go"? | went | The past tense of go is went.
What language is mainly spoken in Brazil? | Portuguese | Portuguese.
What is the official language of Mexico in practice, spoken by most people? | Spanish | Spanish.
What language has the most native speakers in the world? | Mandarin; Mandarin Chinese; Chinese | Mandarin Chinese.
How many letters are there in the English alphabet? | 26; twenty-six | 26.
What is the opposite of "ancient"? | modern; new | Modern.
Which word means a word with the same meaning as another word? | synonym | A synonym.
What is the Spanish word for "thank you"? | gracias | Gracias.
What does the French word "bonjour" mean? | hello; good day; good morning | Hello, or good day.
What is the German word for "dog"? | Hund | Hund.
What is the plural of "child"? | children | Children.
What type of word describes a noun, like "blue" or "tall"? | adjective | An adjective.
Which language was spoken by the ancient Romans? | Latin | Latin.
What is the comparative form of "good"? | better | Better.
What alphabet is used to write Russian? | Cyrillic | Cyrillic.
What does the abbreviation "e.g." stand for in Latin? | exempli gratia; for example | Exempli gratia, "for example".
What is a word that reads the same backwards, like "level", called? | palindrome | A palindrome.
What is the main language spoken in Argentina? | Spanish | Spanish.
What is the plural of "goose"? | geese | Geese.
""",
    "technology": """
Who co-founded Microsoft with Paul Allen? | Bill Gates; Gates | Bill Gates.
What does "CPU" stand for? | central processing unit | Central processing unit.
Who is credited with inventing the World Wide Web? | Tim Berners-Lee; Berners-Lee | Tim Berners-Lee, in 1989.
What does "www" stand for in web addresses? | World Wide Web | World Wide Web.
Which company makes the iPhone? | Apple; Apple Inc. | Apple.
Who is usually credited with inventing the telephone? | Alexander Graham Bell; Bell | Alexander Graham Bell.
Who invented the practical incandescent light bulb in the US, with a famous lab at Menlo Park? | Thomas Edison; Edison | Thomas Edison.
How many bits are in a byte? | eight; 8 | Eight.
What does "USB" stand for? | Universal Serial Bus | Universal Serial Bus.
What number system do computers use internally, made only of 0s and 1s? | binary | Binary.
Which company developed the Android operating system (after acquiring it)? | Google | Google.
What does "RAM" stand for? | random-access memory; random access memory | Random-access memory.
Who developed the first successful steam engine design widely used in industry, improving Newcomen's? | James Watt; Watt | James Watt.
What does "GPS" stand for? | Global Positioning System | Global Positioning System.
What is the name of the programming language named after a British comedy group? | Python | Python, named after Monty Python.
What does "AI" stand for in computing? | artificial intelligence | AI stands for artificial intelligence.
Which company created the Windows operating system? | Microsoft | Microsoft makes Windows.
""",
    "sports": """
How many players are on a soccer team on the field at one time? | eleven; 11 | Eleven.
How often are the Summer Olympic Games normally held? | every four years; four years; 4 years | Every four years.
In which sport would you perform a slam dunk? | basketball | Basketball.
How many rings are on the Olympic flag? | five; 5 | Five.
Which country hosted the first modern Olympic Games in 1896? | Greece | Greece, in Athens.
In tennis, what is a score of zero called? | love | Love.
How many holes are played in a standard round of golf? | 18; eighteen | 18.
What sport is played at Wimbledon? | tennis | Tennis.
In which sport is the Tour de France competed? | cycling; road cycling | Cycling.
How long is a marathon, in kilometres, approximately? | 42; 42.195; 42.2 | About 42.195 km.
In chess, which piece can only move diagonally? | bishop | The bishop.
How many points is a touchdown worth in American football? | six; 6 | Six points.
In which sport do teams compete for the Stanley Cup? | ice hockey; hockey | Ice hockey.
How many players are on a basketball team on the court? | five; 5 | Five.
Which Jamaican sprinter holds the 100 m world record of 9.58 seconds? | Usain Bolt; Bolt | Usain Bolt.
In which country did the sport of judo originate? | Japan | Judo was created in Japan by Kano Jigoro.
""",
    "everyday_science": """
Which gas in the air do we need to breathe in to stay alive? | oxygen | Oxygen.
What colour do you get by mixing blue and yellow paint? | green | Green.
How many days are there in a leap year? | 366 | 366 days.
How many hours are in a day? | 24; twenty-four | 24 hours.
Which month has the fewest days? | February | February.
What is frozen water called? | ice | Ice.
What are the three primary colours of light? | red, green and blue; RGB; red green blue | Red, green and blue.
How many continents are there, by the most common count? | seven; 7 | Seven.
What do you call a baby cat? | kitten | A kitten.
How many weeks are in a year? | 52; fifty-two | About 52 weeks.
What instrument is used to measure air pressure? | barometer | A barometer.
Which season comes after summer in the Northern Hemisphere? | autumn; fall | Autumn.
What is the hottest layer of the Earth? | inner core; the core; core | The inner core.
What natural phenomenon is measured by the Richter scale? | earthquakes; earthquake | Earthquakes.
What do we call a scientist who studies rocks? | geologist | A geologist.
What kind of cloud is tall and brings thunderstorms? | cumulonimbus | Cumulonimbus.
What is the name for water falling from clouds as liquid drops? | rain | Rain.
What do you call the imaginary line around the middle of the Earth? | equator; the equator | The equator.
""",
    "explanations": """
Why did the Titanic sink on its first voyage in 1912? | iceberg; it hit an iceberg; struck an iceberg | It struck an iceberg in the North Atlantic and flooded.
Why did Marie Curie receive her second Nobel Prize, in 1911? | chemistry; radium; polonium; discovering radium and polonium | It was the Chemistry prize, for discovering radium and polonium.
Why do we add a leap day to the calendar every four years? | 365.25; a year is about 365 and a quarter days; Earth's orbit takes about 365.25 days | Because Earth takes about 365.25 days to orbit the Sun, so the extra quarter days add up.
Why do ice cubes float in a glass of water? | less dense; lower density; ice is less dense than water | Ice is less dense than liquid water, so it floats.
Why do we see a lightning flash before we hear the thunder? | light travels faster; light is faster than sound; speed of light | Light travels much faster than sound.
According to the main scientific theory, why did the dinosaurs die out 66 million years ago? | asteroid; asteroid impact; meteorite; comet impact | Most scientists attribute it to a huge asteroid impact.
Why do green plants need sunlight? | photosynthesis; to make food; to make their food | They use it for photosynthesis, to make their food.
Why is Venus hotter than Mercury, even though it is farther from the Sun? | greenhouse effect; thick atmosphere; carbon dioxide | Its thick carbon dioxide atmosphere traps heat (a runaway greenhouse effect).
Why does the Moon shine in the night sky? | reflects sunlight; reflected sunlight; light from the Sun | It reflects sunlight; it makes no light of its own.
Why does skin get sunburnt after too much time in strong sunshine? | ultraviolet; UV; UV rays; ultraviolet radiation | Ultraviolet radiation from the Sun damages the skin.
Why is it so easy to float in the Dead Sea? | salt; salty; high salt content; very salty | Its water is extremely salty and dense, so people float easily.
Why do astronauts on the International Space Station float? | free fall; they are falling; in orbit; orbit | They are in continuous free fall around Earth, not out of its gravity.
""",
    "predictable_outcomes": """
What will happen to liquid water if it is cooled below 0 °C at normal pressure? | freeze; it will freeze; it turns to ice; ice | It will freeze into ice.
If you drop a hammer and a feather together in a vacuum, which one will land first? | same time; both; together; neither | They will land at the same time, since there is no air resistance.
How old will someone born in 2000 be on their birthday in 2030? | 30; thirty | They will be 30.
If today is Monday, what day of the week will it be in three days? | Thursday | It will be Thursday.
In which month will Christmas Day fall next year? | December | Christmas Day is always 25 December.
What colour will blue litmus paper turn if you dip it in an acid? | red; pink | It will turn red.
What will a helium balloon do if you let go of it outdoors? | rise; float up; float away; it will rise | It will rise, because helium is lighter than air.
How many minutes will pass between 2:15 pm and 3:00 pm on the same day? | 45; forty-five | 45 minutes.
If an acorn is planted and grows, what kind of tree will it become? | oak; an oak; oak tree | It will grow into an oak tree.
If a year starts on a Monday and is not a leap year, on which day will it end? | Monday | A 365-day year ends on the same weekday it started, so Monday.
""",
}
