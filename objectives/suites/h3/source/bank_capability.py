# ruff: noqa: E501  (data bank: one item a line, long lines by design)
"""The capability guard's item bank: the hand-written sections plus units and language items.

Language items on word forms come from hand-made tables (word, correct form, plausible wrong forms) asked
in three phrasings; everything else is written line by line. All sections end up as
``question | correct | wrong | wrong | wrong`` lines. Computed arithmetic and unit-conversion items were
tried and dropped: the base model scored at chance on them (see the datasheet), so they could not show a
regression.
"""

from __future__ import annotations

from bank_capability_text import COMMONSENSE, SCIENCE, WORLD_KNOWLEDGE


def _line(question: str, answer: object, wrong: list[object]) -> str:
    options = [str(answer), *[str(w) for w in wrong]]
    if len(set(options)) != 4:
        raise ValueError(f"need 4 distinct options for {question!r}: {options}")
    return " | ".join([question, *options])


# Unit facts and comparisons (hand-written; computed conversions were dropped, see the datasheet)
_UNIT_FACTS = """
How many minutes are there in one hour? | sixty | twenty | ninety | forty
How many seconds are in one minute? | sixty | twelve | thirty | ninety
How many hours are in one day? | twenty-four | twelve | forty | seventy
How many days are in one week? | seven | five | ten | three
How many months make one year? | twelve | ten | seven | fifty
How many days are in a normal year that is not a leap year? | 365 | 100 | 200 | 500
How many centimetres are in one metre? | one hundred | ten | twelve | one million
How many metres are in one kilometre? | one thousand | ten | twelve | sixty
How many grams make one kilogram? | one thousand | ten | sixty | twelve
How many millilitres are in one litre? | one thousand | ten | two | twelve
How many cents are in one euro? | one hundred | ten | two | sixty
How many items are in a dozen? | twelve | ten | twenty | six
How many minutes are in half an hour? | thirty | fifty | ninety | ten
How many days are in the month of September? | thirty | ninety | twelve | seven
How many sides does a square have? | four | three | five | eight
How many sides does a triangle have? | three | four | five | eight
How many degrees are in a half turn? | 180 | 10 | 25 | 500
Which unit is used to measure how long something is? | metre | kilogram | litre | second
Which unit is used to measure how heavy something is? | kilogram | metre | litre | second
Which unit is used to measure an amount of liquid? | litre | metre | gram | degree
Which unit is used to measure time? | second | gram | metre | litre
Which unit is used to measure temperature? | degrees Celsius | kilograms | litres | metres
Which is longer: one metre or one inch? | one metre | one inch | one foot | one hair
Which is heavier: one kilogram or one gram? | one kilogram | one gram | one milligram | one grain
Which is longer: one hour or one minute? | one hour | one minute | one second | one moment
Which holds more water: a bathtub or a teacup? | a bathtub | a teacup | a thimble | a spoon
Which is longer: a kilometre or a metre? | a kilometre | a metre | a centimetre | a millimetre
Which is the smallest unit of length here? | millimetre | centimetre | metre | kilometre
Which is the largest unit of mass here? | tonne | gram | ounce | pound
Which is the shortest amount of time here? | a second | a minute | an hour | a day
Which is the longest amount of time here? | a year | a month | a week | a day
What unit would you use to measure the distance between two cities? | kilometres | millimetres | grams | litres
What unit would you use to measure the weight of an apple? | grams | miles | litres | hours
What unit would you use to measure the length of a pencil? | centimetres | kilometres | tonnes | litres
What unit would you use to measure the water in a bathtub? | litres | metres | grams | seconds
What unit would you use to measure the weight of a truck? | tonnes | grams | litres | metres
What unit would you use to measure how long a film lasts? | minutes | kilograms | metres | litres
What unit would you use to measure the height of a door? | metres | litres | grams | hours
What unit would you use to measure a person's body temperature? | degrees | litres | metres | hours
What unit would you use to measure how much milk is in a glass? | millilitres | kilometres | hours | degrees
What unit would you use to measure the speed of a car? | kilometres per hour | litres per day | grams per metre | degrees per hour
What do you use to measure time during the day? | a clock | a ruler | a scale | a jug
What do you use to measure the length of a line on paper? | a ruler | a clock | a scale | a jug
What do you use to measure how much flour weighs? | a kitchen scale | a ruler | a clock | a compass
What do you use to measure liquid for a recipe? | a measuring jug | a ruler | a clock | a compass
What do you use to measure body temperature? | a thermometer | a ruler | a compass | a calendar
What do you use to see which day and month it is? | a calendar | a ruler | a scale | a jug
At what temperature does water freeze in degrees Celsius? | zero | fifty | ninety | twenty
"""

# word: correct form, then three wrong forms
_PLURALS = """
louse: lice, louses, lices, lousen
foot: feet, foots, feets, footes
tooth: teeth, tooths, teeths, toothes
man: men, mans, mens, manes
woman: women, womans, womens, womanes
person: people, persones, personz, peeple
sheep: sheep, sheeps, sheepes, shoop
fish: fish, fishies, fishs, fishen
leaf: leaves, leafs, leafes, leavs
knife: knives, knifes, knifs, knive
wolf: wolves, wolfs, wolfes, wolvs
box: boxes, boxs, boxen, boxies
bus: buses, buss, busies, busen
baby: babies, babys, babyes, babis
city: cities, citys, cityes, citis
potato: potatoes, potatos, potatoss, potaties
ox: oxen, oxes, oxs, oxies
cactus: cacti, cactuss, cactes, cactis
dish: dishes, dishs, dishies, dishen
party: parties, partys, partyes, partis
calf: calves, calfs, calfes, calvs
shelf: shelves, shelfs, shelfes, shelvs
"""

_PAST = """
keep: kept, keeped, kepted, kep
eat: ate, eated, eaten, eat
run: ran, runed, rund, roon
see: saw, seed, seen, sawed
write: wrote, writed, written, wroted
buy: bought, buyed, boughted, buied
think: thought, thinked, thunk, thoughted
swim: swam, swimmed, swum, swimed
bring: brought, bringed, brang, broughted
catch: caught, catched, caughted, cotch
fly: flew, flewed, flown, flyed
sing: sang, singed, sung, sanged
take: took, taked, taken, tooked
teach: taught, teached, taughted, teeched
sleep: slept, sleeped, slepted, sleept
drink: drank, drinked, drunken, dranked
speak: spoke, speaked, spoken, spoked
begin: began, beginned, begun, beganed
freeze: froze, freezed, frozen, frozed
sit: sat, sitd, sitt, sits
come: came, comed, comen, camed
give: gave, gived, given, gaved
make: made, maked, maded, makt
find: found, finded, founded, fand
tell: told, telled, tolled, tald
"""

_OPPOSITES = """
hot: cold, warm, sunny, spicy
big: small, large, huge, tall
up: down, over, above, high
day: night, noon, dawn, dusk
happy: sad, glad, jolly, merry
fast: slow, quick, rapid, speedy
open: closed, wide, empty, bright
light: dark, bright, shiny, clear
early: late, soon, first, quick
full: empty, heavy, big, whole
old: young, ancient, aged, elderly
wet: dry, damp, moist, soggy
high: low, tall, above, steep
hard: soft, solid, firm, tough
rich: poor, wealthy, lucky, famous
strong: weak, tough, big, mighty
clean: dirty, tidy, neat, shiny
loud: quiet, noisy, sharp, high
thick: thin, wide, heavy, fat
inside: outside, within, inner, indoors
win: lose, gain, play, score
push: pull, shove, press, throw
love: hate, like, adore, enjoy
begin: end, start, open, go
awake: asleep, alert, tired, ready
north: south, east, west, up
buy: sell, pay, spend, get
arrive: leave, come, reach, enter
always: never, often, usually, daily
true: false, real, right, honest
heavy: light, big, huge, solid
near: far, close, next, by
summer: winter, spring, July, sunny
question: answer, query, puzzle, problem
sweet: sour, sugary, tasty, nice
top: bottom, peak, summit, head
laugh: cry, grin, smile, beam
friend: enemy, pal, mate, buddy
long: short, tall, wide, big
first: last, early, main, top
"""

_SYNONYMS = """
big: large, tiny, narrow, quiet
quick: fast, slow, heavy, late
happy: glad, angry, tired, bored
begin: start, finish, stop, close
shut: close, open, lift, throw
small: little, huge, tall, wide
end: finish, start, open, grow
gift: present, bill, debt, fine
angry: cross, calm, glad, sleepy
rich: wealthy, poor, hungry, weak
smart: clever, silly, slow, lazy
scared: afraid, brave, calm, proud
shout: yell, whisper, mumble, sleep
unhappy: sad, glad, merry, jolly
correct: right, wrong, false, broken
"""


def _table(block: str) -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in block.strip().splitlines():
        word, forms = line.split(":")
        correct, *wrong = [w.strip() for w in forms.split(",")]
        rows.append((word.strip(), correct, wrong))
    return rows


def _language() -> str:
    lines: list[str] = []
    plural_forms = ["What is the plural of '{w}'?", "One {w}, two ... ? Which word fills the gap?",
                    "Which is the correct plural form of the noun '{w}'?"]
    for k, (word, correct, wrong) in enumerate(_table(_PLURALS)):
        lines.append(_line(plural_forms[k % 3].format(w=word), correct, wrong))
    past_forms = ["What is the past tense of '{w}'?", "Yesterday I ... (to {w}). Which word fills the gap?",
                  "Which is the simple past form of the verb '{w}'?"]
    for k, (word, correct, wrong) in enumerate(_table(_PAST)):
        lines.append(_line(past_forms[k % 3].format(w=word), correct, wrong))
    opposite_forms = ["What is the opposite of '{w}'?", "Which word means the opposite of '{w}'?",
                      "Which word is an antonym of '{w}'?"]
    for k, (word, correct, wrong) in enumerate(_table(_OPPOSITES)):
        lines.append(_line(opposite_forms[k % 3].format(w=word), correct, wrong))
    same_forms = ["Which word means the same as '{w}'?", "Which word is a synonym of '{w}'?",
                  "Which word has nearly the same meaning as '{w}'?"]
    for k, (word, correct, wrong) in enumerate(_table(_SYNONYMS)):
        lines.append(_line(same_forms[k % 3].format(w=word), correct, wrong))
    return "\n".join(lines) + "\n" + _LANGUAGE_TEXT


_LANGUAGE_TEXT = """
Which word is a noun? | table | quickly | blue | run
Which word is a verb? | jump | green | happy | chair
Which word is an adjective? | beautiful | slowly | swim | river
Which word is an adverb? | quietly | house | red | sing
Which word rhymes with 'cat'? | hat | dog | cup | sun
Which word rhymes with 'tree'? | bee | car | hand | rock
Which word rhymes with 'moon'? | spoon | star | fish | lamp
Which word rhymes with 'cake'? | lake | bread | cup | fork
Which word rhymes with 'light'? | night | day | lamp | dark
Which word rhymes with 'ball'? | wall | bat | ring | cup
Which word is spelled correctly? | because | becuase | becaus | beacuse
Which word is spelled correctly? (a day of the week) | Wednesday | Wensday | Wednsday | Wedensday
Which word is spelled correctly, meaning a close companion? | friend | freind | frend | friand
Which word is spelled correctly, meaning the place where children learn? | school | skool | schol | scool
Which spelling is correct for the number 40? | forty | fourty | fortee | fourtie
Which word is spelled correctly, meaning very nice? | beautiful | beatiful | beautifull | butiful
Which letter comes after B in the alphabet? | C | A | D | E
Which letter comes before Z in the alphabet? | Y | X | W | A
Which is the first letter of the English alphabet? | A | Z | B | E
How many vowels are in the English alphabet (A, E, I, O, U)? | five | two | ten | twenty
Which of these letters is a vowel? | E | B | T | K
Which word starts with the letter S? | sun | moon | tree | apple
Which word ends with the letter T? | cat | dog | bird | fish
Which word has three letters? | cup | chair | table | lamp
Complete the sentence: The sun rises in the ... | morning | midnight | basement | cellar
Complete the sentence: I brush my teeth with a ... | toothbrush | shoe | spoon | pillow
Complete the sentence: Birds build ... in trees. | nests | cars | roads | boats
Complete the sentence: We wear ... on our feet. | shoes | hats | gloves | scarves
Complete the sentence: Fish live in ... | water | trees | sand | clouds
Complete the sentence: At night we see the Moon and the ... | stars | rainbow | sunrise | sunset
Complete the sentence: A cow says ... | moo | woof | meow | quack
Complete the sentence: Ice is very ... | cold | hot | loud | sweet
Complete the sentence: We read a ... | book | spoon | chair | shoe
Complete the sentence: Please open the ... so I can come in. | door | soup | apple | sky
Which sentence is correct? | She is my sister. | She are my sister. | She am my sister. | She be my sister.
Which sentence is correct? (about plural subjects) | They are at school. | They is at school. | They am at school. | They be at school.
Which sentence is correct? (about the first person) | I am hungry. | I is hungry. | I are hungry. | I be hungry.
Which word fills the gap: "He ... to school every day."? | goes | go | going | gone
Which word fills the gap: "There are two ... on the table."? | apples | apple | an apple | apple's
Which word fills the gap: "I have ... orange."? | an | a | two | many
Which word fills the gap: "She is ... than her brother."? | taller | tall | tallest | talls
What is the short form of "do not"? | don't | dont' | d'not | do'nt
What is the short form of "I am"? | I'm | Im' | I'am | Iam'
What is a word for a baby dog? | puppy | kitten | calf | foal
What is a word for a baby cat? | kitten | puppy | lamb | chick
What is a word for a baby cow? | calf | puppy | kitten | chick
What is a word for a baby sheep? | lamb | foal | cub | chick
What is a word for a baby horse? | foal | lamb | kitten | calf
What is a word for a baby bear? | cub | puppy | lamb | foal
What do you call the home of a bee? | hive | kennel | stable | nest
What do you call the home of a dog? | kennel | hive | stable | burrow
What do you call the home of a horse? | stable | hive | kennel | web
What is a group of cows called? | a herd | a flock | a swarm | a pack
What is a group of birds called? | a flock | a herd | a school | a pride
What is a group of fish swimming together called? | a school | a herd | a flock | a pride
What is a group of bees called? | a swarm | a herd | a flock | a litter
What is a group of wolves called? | a pack | a flock | a school | a swarm
What do we call words that mean the same thing? | synonyms | antonyms | verbs | numbers
What do we call words that mean opposite things? | antonyms | synonyms | nouns | letters
What punctuation mark ends a question? | a question mark | a full stop | a comma | a colon
What punctuation mark usually ends a statement? | a full stop | a question mark | a comma | a hyphen
Which word is the name of a colour? | orange | chair | walk | seven
Which word describes a feeling? | happy | table | blue sky | fork
Which word means a young person in school? | pupil | pilot | parent | plumber
Which word means a place where you buy things? | shop | lake | bed | cloud
Which word means a very large town? | city | village | hut | field
Which word means to talk very quietly? | whisper | shout | sing | run
Which word means to move very quickly on foot? | run | sleep | sit | read
Which word means to make food hot so you can eat it? | cook | wash | paint | sweep
Which word means a doctor for teeth? | dentist | baker | pilot | farmer
What is the plural of 'tooth'? | teeth | tooths | teeths | toothes
Which word is the plural of 'box'? | boxes | boxs | boxen | boxies
What is the past tense of 'write'? | wrote | writed | writ | wrot
What is the past tense of 'buy'? | bought | buyed | buied | boughted
Which word means the opposite of 'cold'? | hot | icy | cool | nippy
Which word means the opposite of 'young'? | old | new | small | tiny
Which word means the opposite of 'small'? | big | tiny | wee | mini
Which word means the opposite of 'slow'? | fast | late | lazy | calm
Which word means the opposite of 'dirty'? | clean | muddy | messy | dusty
Which word means the opposite of 'empty'? | full | bare | blank | vacant
Which word means the opposite of 'weak'? | strong | feeble | frail | thin
Which word means the opposite of 'quiet'? | loud | calm | still | soft
Which word means the opposite of 'dark'? | light | dim | black | gloomy
Which word means the opposite of 'good'? | bad | nice | fine | great
Which word means the opposite of 'right'? | left | true | fine | good
Which word means the opposite of 'boy'? | girl | man | lad | son
Which word means the opposite of 'king'? | queen | prince | lord | duke
Which word means the opposite of 'brother'? | sister | uncle | father | cousin
Which word means the opposite of 'yes'? | no | ok | sure | yeah
Which word means the opposite of 'in'? | out | at | on | by
Which word means the opposite of 'give'? | take | send | hand | lend
Which word means the opposite of 'come'? | go | run | hop | walk
Which word means the opposite of 'sad'? | happy | gloomy | upset | blue
Which word means the same as 'large'? | big | tiny | thin | short
Which word means the same as 'little'? | small | huge | giant | great
Which word means the same as 'fast'? | quick | slow | late | lazy
Which word means the same as 'tired'? | sleepy | lively | awake | alert
Which word means the same as 'cold'? | chilly | hot | warm | boiling
Which word means the same as 'talk'? | speak | sleep | eat | swim
Which word means the same as 'look'? | see | hear | eat | run
What is a word for a baby duck? | duckling | kitten | puppy | calf
What is a word for a baby goat? | kid | cub | foal | calf
What is a word for a baby chicken? | chick | kitten | puppy | foal
What is a word for a baby lion? | cub | kit | lamb | foal
What sound does a dog make? | bark | moo | quack | neigh
What sound does a cat make? | meow | moo | bark | quack
What sound does a cow make? | moo | bark | meow | quack
What sound does a duck make? | quack | moo | bark | meow
What sound does a horse make? | neigh | moo | bark | quack
What sound does a sheep make? | baa | moo | bark | quack
What sound does a lion make? | roar | moo | baa | quack
What sound does a snake make? | hiss | moo | bark | baa
Which word is a fruit? | banana | carrot | onion | potato
Which word is an animal? | tiger | table | chair | spoon
Which word is a colour? | blue | dog | chair | run
Which word is a number? | nine | nice | nose | note
Which word is a body part? | knee | kite | king | kettle
Which word names a vehicle? | truck | tree | tulip | table
Which word names a place to live? | house | horse | hammer | honey
Which word names something to drink? | milk | mile | mill | mild
Which word names a piece of clothing? | shirt | shark | shelf | shell
Which word names a tool? | hammer | happy | hungry | honey
Which word names a day of the week? | Sunday | summer | sunny | sunset
"""


CAPABILITY: dict[str, str] = {
    "world_knowledge": WORLD_KNOWLEDGE,
    "science": SCIENCE,
    "commonsense": COMMONSENSE,
    "units": _UNIT_FACTS,
    "language": _language(),
}
