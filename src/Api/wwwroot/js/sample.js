// The article the page opens with: fictional, about 400 words, so a first click shows a realistic map.
export const SAMPLE_ARTICLE =
`The city of Lisbon will open its first overnight shelter for cyclists caught out by storms, the mayor announced on Tuesday, after a winter in which emergency crews were called to rescue riders from flooded underpasses more than forty times.

Carlos Moedas said the shelter, a converted tram depot near the Santa Apolonia station, would hold up to 120 people and 200 bicycles and would open whenever the national weather service issued an orange or red warning. Volunteers from the Portuguese Red Cross will staff it, and a free repair bench will be run by two local cycling clubs.

"People who ride to work are doing the city a favour, and they should not have to choose between a dangerous ride home and a night on a bench," Moedas told reporters outside the depot. The project will cost about 1.4 million euros, most of it paid by a European Union fund for climate adaptation.

Lisbon has doubled the length of its bike lanes since 2017, to roughly 200 kilometres, and the number of daily bicycle trips has risen to about 60,000, according to city figures. But the hilly capital's drainage system was built for far fewer paved surfaces, and sudden downpours regularly turn its lowest streets into rivers.

Opposition councillors welcomed the shelter but said the money would be better spent fixing the drains. "A shelter treats the symptom, not the disease," said Ana Martins of the Socialist Party, who called for a full review of the city's flood defences before next winter.

The first storm warning of the season is expected later this month. City officials said the depot would be ready by then, and that a second shelter in the eastern district of Marvila could follow next year if the first proves popular.`;
