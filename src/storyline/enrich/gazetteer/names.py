"""Common given names across the languages we read, folded to ASCII lower case.

Used where capitals say little (German capitalises every noun): a run of capitalised words is
a person's name when it starts with a given name ("Nils Aaberg"), not when it starts with a
noun ("Jahre Regenwasser"). A short list, not a census: names missing here still count when a
title introduces them ("Bürgermeisterin Jorun Ekdal") or when another rule finds them.
"""

from __future__ import annotations

from storyline.enrich.language import word_set

FIRST_NAMES = word_set(
    """victoria donald florence wayne alex julio holger miriam markus katrin elvira oleg igor sergei sergey vladimir
    nikolai andrei irina omar ivan tatiana natalia mikhail yuri dmitry mohammed muhammad
    mohamed ahmad khalid mustafa youssef layla uwe helmut jorg franziska nadia helene lucie
    giulia giorgio luca francesca paolo pietro giovanni kari aaron adam adrian agnes agnieszka ahmed aida aitor alain alba albert alberto alejandra
    alejandro aleksandr alexander alexandra alexandre alexei alfonso alfred ali alice alicia
    alina amelie ana anders andre andrea andreas andres andrew andrzej angela angelika anita
    anja anke anna anne anneli annika anton antonio arne astrid aurelie axel barbara beatriz
    ben benedikt benjamin benoit bernard bernd bertrand birgit bjorn boris brigitte camille
    carina carl carla carlos carmen caroline catherine cecile celine charles charlotte chloe
    christian christiane christina christine christoph claire clara claude claudia constanza
    cristina dagmar dan daniel daniela dario david denis diana diego dieter dimitri dmitri
    dolores dominique dorothea eduardo elena eli elias elin elisa elisabeth elke ella elsa emil
    emile emilia emilio emily emma emmanuel enrique eric erik erika ernesto esther eva fabian fatima
    federico felipe felix fernando florian frank franz francisco francoise frederic frida
    friedrich gabriel gabriela gerhard gisela greta gregor gudrun guillaume gunnar gustav hanna
    hannah hanne hans harald heinz helen helena helga henrik henri hugo ida ines ingrid irene
    isabel isabelle ivan jacques jakob jan jana javier jean jens jesper joachim johan johanna
    johannes jonas jorge jose josef juan julia julian julien jurgen karin karl karla katarina
    katharina kerstin klaus kristina lars laura laurent lea lena leon leonie lina linda lisa
    lorenzo lotte louis louise lucas lucia luis luisa lukas magnus manuel manuela marc marco
    marcos margit maria marie marina mario marion mark marta martin martina mateo mathilde
    matteo matthias maya maximilian mette michael michel miguel mikael mirja monika nathalie
    nicolas niklas nils nina noah nora olaf olga oliver olivia oscar oskar pablo paola pascal
    patricia paul paula pavel pedro per peter petra philippe pierre pilar rafael ramon raquel
    rebecca renate rene ricardo robert roberto rosa ruth sabine sandra sara sarah sebastian
    sergio silvia simon simone sofia sonja sophie stefan stefanie susanne sven teresa theo
    thomas tobias tomas torsten ulrich ursula valentina vera veronique victor viktor vincent
    walter werner wolfgang yves""")
